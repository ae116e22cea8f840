/**
 * Every abuse technique on a minimal tenant: the edge appears when the holder has exactly
 * what the technique needs, and not when one piece is missing.
 */
import { describe, expect, it } from 'vitest';
import type { GraphEdgeOf } from '../../graph/model.js';
import { DIRECTORY_ROLES, GRAPH_APP_PERMISSIONS } from './entra-catalog.js';
import { ingestAzure } from './index.js';

const T = '0f0f0f0f-0000-4000-8000-000000000000';
const SUB = '/subscriptions/5b0e0009-0000-4000-8000-000000000009';
const RG = `${SUB}/resourceGroups/rg1`;
const HOLDER = 'a1000000-0000-4000-8000-000000000001';
const VICTIM = 'a1000000-0000-4000-8000-000000000002';
const MI = 'a5000000-0000-4000-8000-000000000001';
const ROLE = 'c0570000-0000-4000-8000-00000000c0de';
const GRAPH_SP = 'a3000000-0000-4000-8000-000000000009';
const APP_SP = 'a3000000-0000-4000-8000-000000000001';

function tenant(extra: Record<string, unknown>) {
  return {
    format: 'accessgraph-azure-snapshot',
    version: 1,
    collectedAt: '2026-11-28T00:00:00Z',
    tenantId: T,
    users: [
      { id: HOLDER, displayName: 'holder' },
      { id: VICTIM, displayName: 'victim' },
    ],
    groups: [
      {
        id: 'a2000000-0000-4000-8000-000000000001',
        displayName: 'g',
        securityEnabled: true,
        mailEnabled: false,
      },
    ],
    servicePrincipals: [
      {
        id: APP_SP,
        appId: 'a7000000-0000-4000-8000-000000000001',
        displayName: 'app',
        servicePrincipalType: 'Application',
      },
      {
        id: GRAPH_SP,
        appId: '00000003-0000-0000-c000-000000000000',
        displayName: 'Microsoft Graph',
        servicePrincipalType: 'Application',
      },
    ],
    ...extra,
  };
}

/** A custom role with exactly `actions`, assigned to HOLDER on RG, and one resource of `type` with an identity. */
async function withRole(type: string, actions: string[]) {
  const resource = `${RG}/providers/${type}/r1`;
  const [src] = await ingestAzure([
    {
      file: 't.json',
      doc: tenant({
        roleDefinitions: [
          { name: ROLE, roleName: 'Probe', roleType: 'CustomRole', permissions: [{ actions }] },
        ],
        roleAssignments: [
          {
            id: `${RG}/providers/Microsoft.Authorization/roleAssignments/1`,
            principalId: HOLDER,
            principalType: 'User',
            roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${ROLE}`,
            scope: RG,
          },
        ],
        resources: [
          {
            id: resource,
            name: 'r1',
            type,
            identity: { type: 'SystemAssigned', principalId: MI },
            ...(type === 'Microsoft.KeyVault/vaults'
              ? { properties: { enableRbacAuthorization: false } }
              : {}),
          },
        ],
      }),
    },
  ]);
  const from = `azure:user:${HOLDER}`;
  return {
    assume: src?.edges.filter(
      (e) => e.kind === 'CAN_ASSUME' && e.from === from,
    ) as GraphEdgeOf<'CAN_ASSUME'>[],
    escalate: src?.edges.filter(
      (e) => e.kind === 'CAN_ESCALATE' && e.from === from,
    ) as GraphEdgeOf<'CAN_ESCALATE'>[],
    resource: resource.toLowerCase(),
  };
}

const CODE = [
  [
    'azure-vm-run-command',
    'Microsoft.Compute/virtualMachines',
    ['Microsoft.Compute/virtualMachines/runCommand/action'],
  ],
  [
    'azure-vm-run-command',
    'Microsoft.Compute/virtualMachines',
    ['Microsoft.Compute/virtualMachines/extensions/write'],
  ],
  [
    'azure-vmss-run-command',
    'Microsoft.Compute/virtualMachineScaleSets',
    ['Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action'],
  ],
  [
    'azure-automation-runbook',
    'Microsoft.Automation/automationAccounts',
    [
      'Microsoft.Automation/automationAccounts/runbooks/write',
      'Microsoft.Automation/automationAccounts/jobs/write',
    ],
  ],
  ['azure-logic-app-identity', 'Microsoft.Logic/workflows', ['Microsoft.Logic/workflows/write']],
  ['azure-web-app-code', 'Microsoft.Web/sites', ['Microsoft.Web/sites/publish/action']],
  [
    'azure-aks-command',
    'Microsoft.ContainerService/managedClusters',
    ['Microsoft.ContainerService/managedClusters/runCommand/action'],
  ],
] as const;

describe('code execution → managed identity', () => {
  it.each(CODE)('%s on %s with %j', async (technique, type, actions) => {
    const yes = await withRole(type, [...actions]);
    expect(yes.assume.map((e) => [e.to, e.props.technique])).toEqual([
      [`azure:managedidentity:${MI}`, technique],
    ]);
    // read access to the same resource runs nothing
    const no = await withRole(type, [`${type}/read`]);
    expect(no.assume).toEqual([]);
  });

  it('a runbook that cannot be started runs nothing', async () => {
    const r = await withRole('Microsoft.Automation/automationAccounts', [
      'Microsoft.Automation/automationAccounts/runbooks/write',
    ]);
    expect(r.assume).toEqual([]);
  });

  it('run command on a VM does not reach a web app identity', async () => {
    const r = await withRole('Microsoft.Web/sites', ['Microsoft.Compute/virtualMachines/runCommand/action']);
    expect(r.assume).toEqual([]);
  });
});

describe('RBAC escalation', () => {
  it('a custom role with roleAssignments/write escalates to the admin of its scope', async () => {
    const r = await withRole('Microsoft.Storage/storageAccounts', [
      'Microsoft.Authorization/roleAssignments/write',
    ]);
    expect(r.escalate.map((e) => [e.to, e.props.technique])).toEqual([
      [`azure:scope-admin:${RG.toLowerCase()}`, 'azure-role-assignment-write'],
    ]);
    const none = await withRole('Microsoft.Storage/storageAccounts', [
      'Microsoft.Authorization/roleAssignments/read',
    ]);
    expect(none.escalate).toEqual([]);
  });

  it('key vault access policy writers escalate on access-policy vaults', async () => {
    const r = await withRole('Microsoft.KeyVault/vaults', ['Microsoft.KeyVault/vaults/accessPolicies/write']);
    expect(r.escalate.map((e) => [e.to, e.props.technique, e.props.conditional])).toEqual([
      [`azure:scope-admin:${r.resource}`, 'azure-key-vault-access-policy', false],
    ]);
    const none = await withRole('Microsoft.KeyVault/vaults', ['Microsoft.KeyVault/vaults/read']);
    expect(none.escalate).toEqual([]);
  });
});

/** A built-in role assigned to HOLDER on RG, and one key vault with the given permission model. */
async function vaultEscalations(roleGuid: string, enableRbacAuthorization: boolean | null) {
  const vault = `${RG}/providers/Microsoft.KeyVault/vaults/kv1`;
  const [src] = await ingestAzure([
    {
      file: 't.json',
      doc: tenant({
        roleAssignments: [
          {
            id: `${RG}/providers/Microsoft.Authorization/roleAssignments/1`,
            principalId: HOLDER,
            principalType: 'User',
            roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
            scope: RG,
          },
        ],
        resources: [
          {
            id: vault,
            name: 'kv1',
            type: 'Microsoft.KeyVault/vaults',
            properties: enableRbacAuthorization === null ? null : { enableRbacAuthorization },
          },
        ],
      }),
    },
  ]);
  return (src?.edges ?? [])
    .filter((e) => e.kind === 'CAN_ESCALATE' && e.from === `azure:user:${HOLDER}`)
    .filter((e) => e.to === `azure:scope-admin:${vault.toLowerCase()}`) as GraphEdgeOf<'CAN_ESCALATE'>[];
}

describe('key vault access policy writers (azure-key-vault-access-policy)', () => {
  const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
  const KV_CONTRIBUTOR = 'f25e0fa2-a7c8-4377-a976-54943a77a395';
  const KV_ADMINISTRATOR = '00482a5a-887f-4fb3-b363-3b7fe8e74483';
  const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

  it.each([
    ['Contributor', CONTRIBUTOR],
    ['Key Vault Contributor', KV_CONTRIBUTOR],
  ])('%s can grant itself the secrets of an access-policy vault', async (_name, role) => {
    const edges = await vaultEscalations(role, false);
    expect(edges.map((e) => [e.props.technique, e.props.conditional])).toEqual([
      ['azure-key-vault-access-policy', false],
    ]);
  });

  it.each([
    ['Contributor', CONTRIBUTOR],
    ['Key Vault Contributor', KV_CONTRIBUTOR],
  ])('%s cannot on a vault using Azure RBAC (its access policies are ignored)', async (_name, role) => {
    expect(await vaultEscalations(role, true)).toEqual([]);
  });

  it('an unknown permission model (no properties, as `az resource list` prints) is conditional', async () => {
    const [edge] = await vaultEscalations(KV_CONTRIBUTOR, null);
    expect(edge?.props.conditional).toBe(true);
  });

  it('data-plane roles and readers cannot change access policies', async () => {
    expect(await vaultEscalations(KV_ADMINISTRATOR, false)).toEqual([]);
    expect(await vaultEscalations(READER, false)).toEqual([]);
  });
});

async function entra(extra: Record<string, unknown>) {
  const [src] = await ingestAzure([{ file: 't.json', doc: tenant(extra) }]);
  return src?.edges.filter((e) => e.kind === 'CAN_ESCALATE') as GraphEdgeOf<'CAN_ESCALATE'>[];
}

describe('Entra roles', () => {
  it.each(DIRECTORY_ROLES.map((r) => [r.name, r] as const))('%s', async (_name, role) => {
    const edges = await entra({
      directoryRoleAssignments: [{ principalId: HOLDER, roleDefinitionId: role.templateId }],
    });
    const mine = edges.filter((e) => e.from === `azure:user:${HOLDER}`);
    expect(mine.length).toBe(role.capabilities.length);
    expect(mine.every((e) => e.props.technique === role.technique)).toBe(true);
  });

  it('a role outside the catalogue (Directory Readers) grants no escalation', async () => {
    const edges = await entra({
      directoryRoleAssignments: [
        { principalId: HOLDER, roleDefinitionId: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b' },
      ],
    });
    expect(edges).toEqual([]);
  });

  it('add-owner roles reach service principals through add-secret', async () => {
    const edges = await entra({
      directoryRoleAssignments: [
        { principalId: HOLDER, roleDefinitionId: '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2' },
      ],
    });
    const addSecret = `azure:capability:${T}:add-secret`;
    expect(edges.find((e) => e.to === addSecret)?.props.technique).toBe('azure-add-owner');
    expect(edges.filter((e) => e.from === addSecret).map((e) => e.to)).toContain(`azure:sp:${APP_SP}`);
  });
});

describe('Microsoft Graph application permissions', () => {
  it.each(GRAPH_APP_PERMISSIONS.map((p) => [p.value, p] as const))('%s', async (_value, perm) => {
    const edges = await entra({
      appRoleAssignments: [{ principalId: APP_SP, resourceId: GRAPH_SP, appRoleId: perm.id }],
    });
    const mine = edges.filter((e) => e.from === `azure:sp:${APP_SP}`);
    expect(mine.map((e) => e.props.technique)).toEqual(perm.capabilities.map(() => perm.technique));
  });

  it('AppRoleAssignment.ReadWrite.All leads to tenant admin; the same app role id on another API is ignored', async () => {
    const edges = await entra({
      appRoleAssignments: [
        { principalId: APP_SP, resourceId: GRAPH_SP, appRoleId: '06b708a9-e830-4db3-a914-8e69da51d44f' },
      ],
    });
    expect(edges.find((e) => e.to === `azure:scope-admin:tenant:${T}`)?.props.technique).toBe(
      'azure-graph-grant-role-management',
    );
    const other = await entra({
      appRoleAssignments: [
        { principalId: APP_SP, resourceId: APP_SP, appRoleId: '06b708a9-e830-4db3-a914-8e69da51d44f' },
      ],
    });
    expect(other).toEqual([]);
  });
});
