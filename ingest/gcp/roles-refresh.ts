/**
 * Rebuilds data/predefined-roles.json from the IAM API (`roles.list?view=FULL`, every page).
 * The HTTP call is injected so the paging and the output format are tested without Google;
 * tools/refresh-gcp-roles.ts supplies an authenticated one (Application Default Credentials).
 */
import type { PredefinedCatalogue } from './roles-catalog.js';

export const ROLES_LIST_URL = 'https://iam.googleapis.com/v1/roles';

export interface ApiRole {
  name?: string;
  title?: string;
  includedPermissions?: string[];
  stage?: string;
  deleted?: boolean;
}
export interface RolesPage {
  roles?: ApiRole[];
  nextPageToken?: string;
}

export type FetchJson = (url: string) => Promise<unknown>;

/** Every page of roles.list; stops on a repeated page token so a misbehaving API cannot loop forever. */
export async function listPredefinedRoles(fetchJson: FetchJson, pageSize = 1000): Promise<ApiRole[]> {
  const out: ApiRole[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const url = `${ROLES_LIST_URL}?view=FULL&pageSize=${pageSize}${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`;
    const page = (await fetchJson(url)) as RolesPage;
    if (typeof page !== 'object' || page === null)
      throw new Error(`roles.list returned ${JSON.stringify(page)}`);
    out.push(...(page.roles ?? []));
    token = page.nextPageToken || undefined;
    if (token && seen.has(token)) throw new Error(`roles.list repeated page token ${token}`);
    if (token) seen.add(token);
  } while (token);
  return out;
}

export function catalogueFromApi(roles: readonly ApiRole[], now: Date): PredefinedCatalogue {
  const entries = roles
    .filter(
      (r): r is ApiRole & { name: string } =>
        typeof r.name === 'string' && r.name.startsWith('roles/') && !r.deleted,
    )
    .map(
      (r) =>
        [
          r.name,
          { title: r.title ?? r.name, permissions: [...new Set(r.includedPermissions ?? [])].sort() },
        ] as const,
    )
    .sort(([a], [b]) => a.localeCompare(b));
  return {
    generatedAt: now.toISOString().slice(0, 10),
    source: 'iam.roles.list?view=FULL',
    description:
      'Every predefined Google Cloud role and its permissions, as the IAM API returned them on generatedAt (tools/refresh-gcp-roles.ts).',
    roles: Object.fromEntries(entries),
  };
}
