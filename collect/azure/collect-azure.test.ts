import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestAzure } from '../../ingest/azure/index.js';
import type { AzureApi, Json } from './api.js';
import { collectAzure, MICROSOFT_GRAPH_APP_ID, writeAzureSnapshotDir } from './collect-azure.js';

/** Responses as the SDKs and Graph return them, for a tenant with two subscriptions. */
const T = '7e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
const S1 = '5b0e0001-0000-4000-8000-000000000001';
const S2 = '5b0e0002-0000-4000-8000-000000000002';
const ALIEN = '5b0e0003-0000-4000-8000-000000000003';
const U1 = 'a1000000-0000-4000-8000-000000000001';
const U2 = 'a1000000-0000-4000-8000-000000000002';
const G1 = 'a2000000-0000-4000-8000-000000000001';
const SP1 = 'a3000000-0000-4000-8000-000000000001';
const GRAPH_SP = 'a3000000-0000-4000-8000-000000000009';
const APP1 = 'a4000000-0000-4000-8000-000000000001';
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const KV = `/subscriptions/${S1}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-app`;
const KV_RBAC = `/subscriptions/${S2}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-rbac`;
/** A vault as ARM's Microsoft.KeyVault/vaults list returns it (abridged), access policies included. */
const VAULT = {
  id: KV,
  name: 'kv-app',
  type: 'Microsoft.KeyVault/vaults',
  location: 'westeurope',
  tags: {},
  systemData: { createdBy: 'alice@contoso.example' },
  properties: {
    sku: { family: 'A', name: 'standard' },
    tenantId: T,
    accessPolicies: [
      {
        tenantId: T,
        objectId: U2,
        permissions: { keys: [], secrets: ['get', 'list'], certificates: [] },
      },
    ],
    enabledForDeployment: false,
    enableSoftDelete: true,
    vaultUri: 'https://kv-app.vault.azure.net/',
    provisioningState: 'Succeeded',
    publicNetworkAccess: 'Enabled',
  },
};
const MG_ASSIGNMENT = {
  id: `/providers/Microsoft.Management/managementGroups/${T}/providers/Microsoft.Authorization/roleAssignments/aa000000-0000-4000-8000-000000000001`,
  name: 'aa000000-0000-4000-8000-000000000001',
  principalId: G1,
  principalType: 'Group',
  roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`,
  scope: `/providers/Microsoft.Management/managementGroups/${T}`,
};

async function* items(list: Json[]): AsyncIterable<Json> {
  for (const i of list) yield i;
}
async function* failing(message: string): AsyncIterable<Json> {
  yield* [];
  throw Object.assign(new Error(message), { statusCode: 403, code: 'AuthorizationFailed' });
}

function fakeApi(overrides: Partial<AzureApi> = {}): AzureApi & { graphCalls: string[] } {
  const graphCalls: string[] = [];
  const graph: Record<string, Json[]> = {
    '/users': [
      {
        id: U1,
        displayName: 'Alice',
        userPrincipalName: 'alice@contoso.example',
        '@odata.type': '#microsoft.graph.user',
      },
      { id: U2, displayName: 'Bob', userPrincipalName: 'bob@contoso.example' },
    ],
    '/groups': [
      {
        id: G1,
        displayName: 'platform',
        securityEnabled: true,
        mailEnabled: false,
        isAssignableToRole: false,
      },
    ],
    '/servicePrincipals': [
      {
        id: SP1,
        appId: 'a7000000-0000-4000-8000-000000000001',
        displayName: 'billing',
        servicePrincipalType: 'Application',
        appOwnerOrganizationId: T,
      },
      {
        id: GRAPH_SP,
        appId: MICROSOFT_GRAPH_APP_ID,
        displayName: 'Microsoft Graph',
        servicePrincipalType: 'Application',
        appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
      },
    ],
    '/applications': [
      {
        id: APP1,
        appId: 'a7000000-0000-4000-8000-000000000001',
        displayName: 'billing',
        signInAudience: 'AzureADMyOrg',
      },
    ],
    [`/groups/${G1}/members`]: [{ id: U2 }],
    [`/groups/${G1}/owners`]: [],
    [`/applications/${APP1}/owners`]: [{ id: U1 }],
    [`/servicePrincipals/${SP1}/owners`]: [],
    '/roleManagement/directory/roleDefinitions': [
      {
        id: '62e90394-69f5-4237-9190-012177145e10',
        templateId: '62e90394-69f5-4237-9190-012177145e10',
        displayName: 'Global Administrator',
      },
    ],
    '/roleManagement/directory/roleAssignments': [
      {
        id: 'ra1',
        principalId: U1,
        roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10',
        directoryScopeId: '/',
      },
    ],
    '/roleManagement/directory/roleEligibilitySchedules': [],
    '/directory/administrativeUnits': [],
    [`/servicePrincipals/${GRAPH_SP}/appRoleAssignedTo`]: [
      {
        principalId: SP1,
        principalType: 'ServicePrincipal',
        resourceId: GRAPH_SP,
        appRoleId: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8',
      },
      {
        principalId: U2,
        principalType: 'User',
        resourceId: GRAPH_SP,
        appRoleId: '00000000-0000-0000-0000-000000000000',
      },
    ],
  };
  const api: AzureApi & { graphCalls: string[] } = {
    graphCalls,
    subscriptions: () =>
      items([
        { subscriptionId: S1, displayName: 'Prod', tenantId: T, state: 'Enabled' },
        { subscriptionId: S2, displayName: 'Dev', tenantId: T, state: 'Enabled' },
        { subscriptionId: ALIEN, displayName: 'Partner', tenantId: '00000000-1111-4222-8333-444444444444' },
      ]),
    managementGroups: () => items([{ name: T, displayName: 'Tenant Root Group', tenantId: T }]),
    managementGroup: async () => ({
      name: T,
      details: { parent: null },
      children: [
        { type: '/subscriptions', name: S1 },
        { type: '/subscriptions', name: S2 },
      ],
    }),
    roleDefinitions: () => items([]),
    // an assignment inherited from the management group shows up in every subscription
    roleAssignments: (sub) =>
      items([
        MG_ASSIGNMENT,
        {
          id: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments/aa000000-0000-4000-8000-00000000000${sub === S1 ? 2 : 3}`,
          principalId: U2,
          principalType: 'User',
          roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`,
          scope: `/subscriptions/${sub}`,
        },
      ]),
    roleEligibilities: () => failing('PIM is not licensed in this tenant'),
    denyAssignments: () => items([]),
    resources: (sub) =>
      items(
        sub === S1
          ? [
              {
                id: `/subscriptions/${S1}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`,
                name: 'vm1',
                type: 'Microsoft.Compute/virtualMachines',
                location: 'westeurope',
                identity: {
                  type: 'SystemAssigned',
                  principalId: 'a5000000-0000-4000-8000-000000000001',
                  tenantId: T,
                },
              },
              { id: KV, name: 'kv-app', type: 'Microsoft.KeyVault/vaults', location: 'westeurope' },
            ]
          : [],
      ),
    // S2's vault is missing from its (lagging) resource list and uses Azure RBAC
    keyVaults: (sub) =>
      items(
        sub === S1
          ? [VAULT]
          : [
              {
                id: KV_RBAC,
                name: 'kv-rbac',
                type: 'Microsoft.KeyVault/vaults',
                location: 'westeurope',
                properties: {
                  tenantId: T,
                  enableRbacAuthorization: true,
                  accessPolicies: [{ tenantId: T, objectId: U1, permissions: { secrets: ['all'] } }],
                },
              },
            ],
      ),
    graph: (path) => {
      graphCalls.push(path);
      if (path.startsWith('/users?$select=id,signInActivity'))
        return failing('Authentication_RequestFromNonPremiumTenantOrB2CTenant');
      return items(graph[path.split('?')[0] as string] ?? []);
    },
    ...overrides,
  };
  return api;
}

describe('collect azure', () => {
  it('collects a tenant into a snapshot the Azure ingester accepts', async () => {
    const { snapshot, subscriptions } = await collectAzure(fakeApi(), { collector: 'accessgraph test' });
    expect(subscriptions).toBe(2);
    expect(snapshot.tenantId).toBe(T);
    expect(snapshot.roleAssignments).toHaveLength(3); // the inherited one once
    expect(snapshot.subscriptions).toEqual([
      { subscriptionId: S1, displayName: 'Prod', state: 'Enabled', managementGroupId: T },
      { subscriptionId: S2, displayName: 'Dev', state: 'Enabled', managementGroupId: T },
    ]);
    expect(snapshot.appRoleAssignments).toEqual([
      { principalId: SP1, resourceId: GRAPH_SP, appRoleId: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8' },
    ]);
    const [src] = await ingestAzure([{ file: 'azure-snapshot.json', doc: snapshot }]);
    const esc = src?.edges.filter((e) => e.kind === 'CAN_ESCALATE').map((e) => [e.from, e.to]);
    expect(esc).toContainEqual([`azure:user:${U1}`, `azure:scope-admin:tenant:${T}`]);
    expect(esc).toContainEqual([`azure:user:${U1}`, `azure:sp:${SP1}`]); // app owner
    expect(src?.edges.find((e) => e.kind === 'MEMBER_OF')?.from).toBe(`azure:user:${U2}`);
  });

  it('is best effort: failures are recorded and the rest is kept', async () => {
    const { snapshot } = await collectAzure(
      fakeApi({ denyAssignments: (sub) => (sub === S2 ? failing('denied') : items([])) }),
      { collector: 'test' },
    );
    const ops = snapshot.errors.map((e) => `${e.service} ${e.operation} ${e.code ?? ''}`);
    expect(ops).toContain(`arm denyAssignments.list /subscriptions/${S2} AuthorizationFailed`);
    expect(ops).toContain('graph GET /users AuthorizationFailed');
    expect(ops.some((o) => o.includes('roleEligibilitySchedules'))).toBe(true);
    expect(snapshot.errors.some((e) => String(e.message).includes(ALIEN))).toBe(true);
    expect(snapshot.resources).toHaveLength(3);
  });

  it('adds each key vault’s permission model and access policies to its resource', async () => {
    const { snapshot } = await collectAzure(fakeApi(), { collector: 'test' });
    const res = snapshot.resources as Json[];
    const kv = res.find((r) => r.id === KV);
    // only what decides data-plane access is kept
    expect(kv?.properties).toEqual({ tenantId: T, accessPolicies: VAULT.properties.accessPolicies });
    expect(res.find((r) => r.id === KV_RBAC)?.properties).toMatchObject({ enableRbacAuthorization: true });
    const [src] = await ingestAzure([{ file: 'azure-snapshot.json', doc: snapshot }]);
    const grants = src?.edges.filter(
      (e) => e.kind === 'HAS_ACCESS' && e.props.grant === 'key-vault-access-policy',
    );
    expect(grants?.map((e) => [e.from, e.to])).toEqual([[`azure:user:${U2}`, `azure:${KV.toLowerCase()}`]]);
  });

  it('a failed vault list leaves the vaults without properties (permission model unknown)', async () => {
    const { snapshot } = await collectAzure(fakeApi({ keyVaults: () => failing('denied') }), {
      collector: 'test',
    });
    expect(snapshot.errors.map((e) => e.operation)).toContain(`keyVaults.list /subscriptions/${S1}`);
    expect((snapshot.resources as Json[]).find((r) => r.id === KV)?.properties).toBeUndefined();
  });

  it('honours --subscriptions and reads owners only of the tenant’s own service principals', async () => {
    const api = fakeApi();
    const { snapshot } = await collectAzure(api, { collector: 'test', subscriptions: [S2.toUpperCase()] });
    expect((snapshot.subscriptions as Json[]).map((s) => s.subscriptionId)).toEqual([S2]);
    expect(api.graphCalls).toContain(`/servicePrincipals/${SP1}/owners?$select=id`);
    expect(api.graphCalls).not.toContain(`/servicePrincipals/${GRAPH_SP}/owners?$select=id`);
  });

  it('needs a tenant', async () => {
    await expect(
      collectAzure(fakeApi({ subscriptions: () => items([]), managementGroups: () => items([]) }), {
        collector: 't',
      }),
    ).rejects.toThrow(/tenant is unknown/);
  });

  it('writes the snapshot file atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'azure-collect-'));
    try {
      const { snapshot } = await collectAzure(fakeApi(), { collector: 'test' });
      const path = writeAzureSnapshotDir(dir, snapshot);
      expect(JSON.parse(readFileSync(path, 'utf8')).format).toBe('accessgraph-azure-snapshot');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
