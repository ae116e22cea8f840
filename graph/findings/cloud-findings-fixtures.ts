/**
 * The GCP and Azure ingest fixtures, with planted cloud-specific risks and their look-alikes
 * added in memory, run through the real ingesters: the findings suite loads the result into
 * each store, so what it checks is what `accessgraph ingest` + `findings` would say.
 */
import { readFileSync } from 'node:fs';
import { ingestAzure } from '../../ingest/azure/index.js';
import { ingestGcp } from '../../ingest/gcp/index.js';
import type { IngestedSource } from '../../ingest/types.js';
import { packagePath } from '../../lib/package-root.js';

export const CLOUD_NOW = new Date('2026-11-29T00:00:00Z');

type Json = Record<string, unknown> & { [k: string]: unknown };
const fixture = (...parts: string[]): Json => JSON.parse(readFileSync(packagePath(...parts), 'utf8'));
const list = (doc: Json, key: string) => doc[key] as Json[];

const gu = (email: string) => `gcp:user:${email}`;
const gsa = (email: string) => `gcp:serviceAccount:${email}`;
export const G = {
  org: 'gcp:organizations/100200300400',
  payments: 'gcp:projects/prod-payments',
  web: 'gcp:projects/prod-web',
  sandbox: 'gcp:projects/sandbox-dev',
  production: 'gcp:folders/1001',
  invoices: 'gcp://storage.googleapis.com/example-payments-invoices',
  publicAssets: 'gcp://storage.googleapis.com/example-public-assets',
  ledger: 'gcp://bigquery.googleapis.com/projects/prod-payments/datasets/ledger',
  allUsers: 'gcp:allUsers',
  partnerUser: gu('pat.partner@partner.example'),
  gmailUser: gu('moonlighter@gmail.com'),
  vendorViaGroup: gu('vic@partner.example'),
  vendorsGroup: 'gcp:group:vendors@example.com',
  partnerDomain: 'gcp:domain:partner.example',
  foreignSa: gsa('etl@other-company-42.iam.gserviceaccount.com'),
  // look-alikes: our secondary domain, a subdomain, our project's service agent
  secondaryDomainUser: gu('ursula@corp-example.net'),
  subdomainUser: gu('eve@eu.example.com'),
  ownAgent: gsa('service-111111111111@gcp-sa-pubsub.iam.gserviceaccount.com'),
  computeDefault: gsa('111111111111-compute@developer.gserviceaccount.com'),
  appEngineDefault: gsa('prod-web@appspot.gserviceaccount.com'),
  viewerDefault: gsa('333333333333-compute@developer.gserviceaccount.com'),
  deployer: gsa('deployer@prod-payments.iam.gserviceaccount.com'),
  rootAdmin: gu('root-admin@example.com'),
};

function gcpSnapshot(): Json {
  const s = fixture('ingest', 'gcp', 'fixtures', 'gcp-snapshot.json');
  const [org] = list(s, 'organizations') as [Json];
  org.domains = ['example.com', 'corp-example.net'];
  const policies = list(s, 'iamPolicies');
  const bind = (resource: string, role: string, members: string[]) => {
    const p = policies.find((x) => x.resource === resource) as { policy: { bindings: Json[] } };
    p.policy.bindings.push({ role, members });
  };
  const crm = (scope: string) => `//cloudresourcemanager.googleapis.com/${scope}`;
  bind(crm('projects/prod-web'), 'roles/editor', ['user:pat.partner@partner.example']);
  bind('//storage.googleapis.com/example-payments-invoices', 'roles/storage.objectViewer', [
    'user:moonlighter@gmail.com',
  ]);
  bind('//bigquery.googleapis.com/projects/prod-payments/datasets/ledger', 'roles/bigquery.dataViewer', [
    'serviceAccount:etl@other-company-42.iam.gserviceaccount.com',
  ]);
  bind(crm('projects/sandbox-dev'), 'roles/viewer', ['domain:partner.example']);
  bind(crm('projects/sandbox-dev'), 'roles/owner', ['group:vendors@example.com']);
  bind(crm('projects/prod-payments'), 'roles/viewer', [
    'user:ursula@corp-example.net',
    'user:eve@eu.example.com',
    'serviceAccount:service-111111111111@gcp-sa-pubsub.iam.gserviceaccount.com',
  ]);
  // default service accounts: Editor on a project and Owner on a folder; a viewer look-alike
  bind(crm('projects/prod-payments'), 'roles/editor', [
    'serviceAccount:111111111111-compute@developer.gserviceaccount.com',
  ]);
  bind(crm('folders/1001'), 'roles/owner', ['serviceAccount:prod-web@appspot.gserviceaccount.com']);
  bind(crm('projects/sandbox-dev'), 'roles/viewer', [
    'serviceAccount:333333333333-compute@developer.gserviceaccount.com',
  ]);
  list(s, 'groups').push({ email: 'vendors@example.com', members: ['user:vic@partner.example'] });
  // last authentication: the organization owner long ago, the deployer recently
  list(s, 'lastUsed').push({ member: 'user:root-admin@example.com', lastUsed: '2025-01-10T00:00:00Z' });
  return s;
}

const T = '7e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
const PROD = '/subscriptions/5b0e0001-0000-4000-8000-000000000001';
const DEV = '/subscriptions/5b0e0002-0000-4000-8000-000000000002';
const STORAGE = `${PROD}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts`;
const azId = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const az = (kind: 'user' | 'sp', n: number) =>
  `azure:${kind}:${azId(kind === 'user' ? 'a1000000' : 'a3000000', n)}`;
const container = (account: string, name: string) =>
  `azure:${STORAGE}/${account}/blobServices/default/containers/${name}`.toLowerCase();
export const A = {
  tenant: T,
  prod: `azure:${PROD}`,
  dev: `azure:${DEV}`,
  rgData: `azure:${PROD}/resourceGroups/rg-data`.toLowerCase(),
  rgApp: `azure:${PROD}/resourceGroups/rg-app`.toLowerCase(),
  anonymous: 'azure:anonymous',
  guestOwner: az('user', 31),
  extMember: az('user', 32),
  guestHelpdesk: az('user', 33),
  memberOtherMail: az('user', 34),
  vendorSp: az('sp', 11),
  microsoftSp: az('sp', 12),
  publicAssets: container('stpublicweb', 'assets'),
  unknownAccountContainer: container('stunlisted', 'drop'),
  blockedContainer: container('stprodlogs', 'logs'),
  privateContainer: container('stpublicweb', 'private'),
  walt: az('user', 23),
  xena: az('user', 24),
  frank: az('user', 6),
};

const ROLE = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
};

function azureSnapshot(): Json {
  const s = fixture('ingest', 'azure', 'fixtures', 'azure-snapshot.json');
  list(s, 'users').push(
    {
      id: azId('a1000000', 31),
      displayName: 'Gus (partner)',
      userPrincipalName: 'gus_partner.example#EXT#@contoso.onmicrosoft.com',
      mail: 'gus@partner.example',
      userType: 'Guest',
      accountEnabled: true,
    },
    // a B2B invitee converted to userType Member still signs in with its home tenant
    {
      id: azId('a1000000', 32),
      displayName: 'Mia (vendor)',
      userPrincipalName: 'mia_vendor.example#EXT#@contoso.onmicrosoft.com',
      userType: 'Member',
      accountEnabled: true,
    },
    {
      id: azId('a1000000', 33),
      displayName: 'Hal (partner helpdesk)',
      userPrincipalName: 'hal_partner.example#EXT#@contoso.onmicrosoft.com',
      userType: 'Guest',
      accountEnabled: true,
    },
    // look-alike: a member whose mail is at another domain is still ours
    {
      id: azId('a1000000', 34),
      displayName: 'Nora',
      userPrincipalName: 'nora@contoso.example',
      mail: 'nora@acquired-company.example',
      userType: 'Member',
      accountEnabled: true,
    },
  );
  const users = list(s, 'users');
  const xena = users.find((u) => u.id === azId('a1000000', 24)) as Json;
  xena.createdDateTime = '2024-03-01T00:00:00Z';
  list(s, 'servicePrincipals').push(
    {
      id: azId('a3000000', 11),
      appId: azId('a7000000', 11),
      displayName: 'vendor-backup',
      servicePrincipalType: 'Application',
      appOwnerOrganizationId: '0b0b0b0b-0000-4000-8000-000000000001',
    },
    // look-alike: Microsoft's own first-party application
    {
      id: azId('a3000000', 12),
      appId: azId('a7000000', 12),
      displayName: 'Azure Backup (Microsoft)',
      servicePrincipalType: 'Application',
      appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
    },
  );
  let n = 100;
  const assign = (principalId: string, principalType: string, role: string, scope: string) => {
    n += 1;
    const id = `${scope}/providers/Microsoft.Authorization/roleAssignments/${azId('aa000000', n)}`;
    list(s, 'roleAssignments').push({
      id,
      principalId,
      principalType,
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${role}`,
      scope,
      condition: null,
      conditionVersion: null,
    });
  };
  assign(azId('a1000000', 31), 'User', ROLE.owner, DEV);
  assign(azId('a1000000', 32), 'User', ROLE.reader, `${PROD}/resourceGroups/rg-app`);
  assign(azId('a1000000', 34), 'User', ROLE.owner, DEV);
  assign(azId('a3000000', 11), 'ServicePrincipal', ROLE.contributor, `${PROD}/resourceGroups/rg-data`);
  assign(azId('a3000000', 12), 'ServicePrincipal', ROLE.reader, PROD);
  list(s, 'directoryRoleAssignments').push({
    id: 'dra-guest',
    principalId: azId('a1000000', 33),
    roleDefinitionId: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
    roleName: 'Helpdesk Administrator',
    directoryScopeId: '/',
  });
  const resource = (id: string, type: string, properties: Json | null) =>
    list(s, 'resources').push({ id, name: id.split('/').pop(), type, location: 'westeurope', properties });
  const containerType = 'Microsoft.Storage/storageAccounts/blobServices/containers';
  resource(`${STORAGE}/stpublicweb`, 'Microsoft.Storage/storageAccounts', { allowBlobPublicAccess: true });
  resource(`${STORAGE}/stpublicweb/blobServices/default/containers/assets`, containerType, {
    publicAccess: 'Blob',
  });
  resource(`${STORAGE}/stpublicweb/blobServices/default/containers/private`, containerType, {
    publicAccess: 'None',
  });
  // asks for anonymous access, but its account forbids it
  const logs = list(s, 'resources').find((r) => String(r.id).endsWith('/stprodlogs')) as Json;
  logs.properties = { allowBlobPublicAccess: false };
  resource(`${STORAGE}/stprodlogs/blobServices/default/containers/logs`, containerType, {
    publicAccess: 'Container',
  });
  // its account is not in the inputs: open unless the account forbids it
  resource(`${STORAGE}/stunlisted/blobServices/default/containers/drop`, containerType, {
    publicAccess: 'Container',
  });
  // walt (Owner of the root group) last signed in long ago; xena never did
  list(s, 'signInActivity').push(
    {
      objectId: azId('a1000000', 23),
      lastSignInDateTime: '2025-01-05T00:00:00Z',
      lastNonInteractiveSignInDateTime: '2025-02-01T00:00:00Z',
    },
    { objectId: azId('a1000000', 24), lastSignInDateTime: null, lastNonInteractiveSignInDateTime: null },
  );
  return s;
}

let ingested: Promise<IngestedSource[]> | undefined;

/** Both clouds' sources, ingested once per test file (stores copy what they load). */
export function cloudSources(): Promise<IngestedSource[]> {
  ingested ??= (async () => [
    ...(await ingestGcp([{ file: 'gcp-snapshot.json', doc: gcpSnapshot() }], { now: CLOUD_NOW })),
    ...(await ingestAzure([{ file: 'azure-snapshot.json', doc: azureSnapshot() }])),
  ])();
  return ingested;
}
