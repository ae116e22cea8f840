/**
 * The AzureApi over the official SDKs, signed in with the standard credential chain
 * (DefaultAzureCredential: environment, workload identity, managed identity, Azure CLI, …).
 * Credentials are never stored or logged. ARM lists follow their pages with continuation
 * tokens, so a page that stays throttled after the SDK's own retries is asked for again
 * (honouring Retry-After) without re-reading the pages before it.
 */

import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ManagementGroupsAPI } from '@azure/arm-managementgroups';
import { ResourceManagementClient } from '@azure/arm-resources';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import type { AzureApi, Json } from './api.js';
import { graphPages } from './graph-pages.js';
import { type RetryAfterOptions, withRetryAfter } from './retry-after.js';

interface Paged<T> {
  byPage(settings?: { continuationToken?: string }): AsyncIterableIterator<T[]>;
}

/** SDK models are plain data with Dates; the snapshot wants JSON. */
const plain = (v: unknown): Json => JSON.parse(JSON.stringify(v)) as Json;

export async function* armList<T>(make: () => Paged<T>, retry: RetryAfterOptions = {}): AsyncIterable<Json> {
  let token: string | undefined;
  do {
    const from = token;
    const page = await withRetryAfter(async () => {
      const r = await make()
        .byPage(from ? { continuationToken: from } : undefined)
        .next();
      return r.done ? null : r.value;
    }, retry);
    if (!page) return;
    for (const item of page) yield plain(item);
    token = (page as { continuationToken?: string }).continuationToken;
  } while (token);
}

const ARM = 'https://management.azure.com';

/** One ARM REST GET with a bearer token; HTTP errors carry status and headers for the retry logic. */
async function armGet(credential: TokenCredential, url: string): Promise<Json> {
  const token = await credential.getToken(`${ARM}/.default`);
  const res = await fetch(url, { headers: { authorization: `Bearer ${token?.token ?? ''}` } });
  if (!res.ok) {
    const err = Object.assign(new Error(`GET ${url.split('?')[0]}: HTTP ${res.status} ${await res.text()}`), {
      statusCode: res.status,
      headers: res.headers,
    });
    throw err;
  }
  return (await res.json()) as Json;
}

export function sdkAzureApi(
  credential: TokenCredential = new DefaultAzureCredential(),
  retry: RetryAfterOptions = {},
): AzureApi {
  const auth = new Map<string, AuthorizationManagementClient>();
  const authz = (sub: string) => {
    let c = auth.get(sub);
    if (!c) {
      c = new AuthorizationManagementClient(credential, sub);
      auth.set(sub, c);
    }
    return c;
  };
  const mg = new ManagementGroupsAPI(credential);
  const graph = Client.initWithMiddleware({
    authProvider: {
      getAccessToken: async () =>
        (await credential.getToken('https://graph.microsoft.com/.default'))?.token ?? '',
    },
  });
  return {
    // the installed @azure/arm-subscriptions (API 2021-10-01) has no subscription list: use ARM REST
    subscriptions: () =>
      graphPages(
        (url) => armGet(credential, url),
        `${ARM}/subscriptions?api-version=2022-12-01`,
        retry,
        'nextLink',
      ),
    managementGroups: () => armList(() => mg.managementGroups.list(), retry),
    managementGroup: async (name) =>
      plain(await withRetryAfter(() => mg.managementGroups.get(name, { expand: 'children' }), retry)),
    roleDefinitions: (scope) => {
      const sub = scope.split('/')[2] ?? '';
      return armList(() => authz(sub).roleDefinitions.list(scope), retry);
    },
    roleAssignments: (sub) => armList(() => authz(sub).roleAssignments.listForSubscription(), retry),
    roleEligibilities: (sub) =>
      armList(() => authz(sub).roleEligibilitySchedules.listForScope(`/subscriptions/${sub}`), retry),
    denyAssignments: (sub) => armList(() => authz(sub).denyAssignments.list(), retry),
    resources: (sub) => armList(() => new ResourceManagementClient(credential, sub).resources.list(), retry),
    // no Key Vault SDK is installed; ARM's list-by-subscription returns each vault with its properties
    keyVaults: (sub) =>
      graphPages(
        (url) => armGet(credential, url),
        `${ARM}/subscriptions/${sub}/providers/Microsoft.KeyVault/vaults?api-version=2023-07-01`,
        retry,
        'nextLink',
      ),
    graph: (path) => graphPages((url) => graph.api(url).get() as Promise<Json>, path, retry),
  };
}
