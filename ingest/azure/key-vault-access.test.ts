/**
 * Key vault access policies as grants: each entry of a vault that does not use Azure RBAC
 * is a HAS_ACCESS edge with the data actions its permissions amount to; a vault using Azure
 * RBAC ignores them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../graph/embedded/sqlite-store.js';
import type { GraphEdgeOf } from '../../graph/model.js';
import { whoCan } from '../../graph/queries/access.js';
import { IngestError } from '../errors.js';
import { loadSources } from '../load.js';
import { ingestAzure } from './index.js';
import { rawKind } from './raw-exports.js';

const T = '0f0f0f0f-0000-4000-8000-000000000000';
const RG = '/subscriptions/5b0e0009-0000-4000-8000-000000000009/resourceGroups/rg1';
const VAULT_ID = `${RG}/providers/Microsoft.KeyVault/vaults/kv1`;
const VAULT = `azure:${VAULT_ID.toLowerCase()}`;
const USER = 'a1000000-0000-4000-8000-000000000001';
const MEMBER = 'a1000000-0000-4000-8000-000000000002';
const GROUP = 'a2000000-0000-4000-8000-000000000001';
const SP = 'a3000000-0000-4000-8000-000000000001';
const APP = 'a7000000-0000-4000-8000-000000000001';
const STRANGER = 'a9000000-0000-4000-8000-000000000001';
const MI = 'a5000000-0000-4000-8000-000000000001';

const policy = (
  objectId: string,
  permissions: Record<string, string[]>,
  applicationId: string | null = null,
) => ({
  tenantId: T,
  objectId,
  applicationId,
  permissions,
});

/** A vault as `az keyvault list` prints it. */
function vault(properties: Record<string, unknown>) {
  return {
    id: VAULT_ID,
    name: 'kv1',
    type: 'Microsoft.KeyVault/vaults',
    location: 'westeurope',
    resourceGroup: 'rg1',
    properties: { tenantId: T, vaultUri: 'https://kv1.vault.azure.net/', ...properties },
  };
}

function snapshot(resources: unknown[], extra: Record<string, unknown> = {}) {
  return {
    format: 'accessgraph-azure-snapshot',
    version: 1,
    collectedAt: '2026-11-28T00:00:00Z',
    tenantId: T,
    users: [
      { id: USER, displayName: 'user' },
      { id: MEMBER, displayName: 'member' },
    ],
    groups: [{ id: GROUP, displayName: 'vault-readers', securityEnabled: true, mailEnabled: false }],
    servicePrincipals: [{ id: SP, appId: APP, displayName: 'app', servicePrincipalType: 'Application' }],
    groupMembers: [{ groupId: GROUP, memberId: MEMBER }],
    resources,
    ...extra,
  };
}

async function grants(docs: Array<{ file: string; doc: unknown }>) {
  const [src] = await ingestAzure(docs);
  const edges = (src?.edges ?? []).filter(
    (e) => e.kind === 'HAS_ACCESS' && e.to === VAULT,
  ) as GraphEdgeOf<'HAS_ACCESS'>[];
  return { src, edges, from: (id: string) => edges.filter((e) => e.from === id) };
}

const POLICIES = [
  policy(USER, { secrets: ['Get', 'List'] }),
  policy(GROUP, { keys: ['all'] }),
  policy(SP, { certificates: ['get', 'list'], storage: ['getsas'] }),
  policy(USER, { secrets: ['all'] }, APP), // compound identity
  policy(STRANGER, { secrets: ['list'] }),
  policy(MEMBER, {}), // grants nothing
];

describe('key vault access policies as grants', () => {
  it('each entry grants its object the matching data actions on the vault', async () => {
    const g = await grants([
      {
        file: 's.json',
        doc: snapshot([vault({ enableRbacAuthorization: false, accessPolicies: POLICIES })]),
      },
    ]);
    const [plain, compound] = g.from(`azure:user:${USER}`);
    expect(plain?.props).toMatchObject({
      actions: [
        'microsoft.keyvault/vaults/secrets/getsecret/action',
        'microsoft.keyvault/vaults/secrets/readmetadata/action',
      ],
      levels: ['read'],
      conditional: false,
      conditions: null,
      grant: 'key-vault-access-policy',
    });
    expect(plain?.via).toMatchObject({
      ref: VAULT,
      statement: 'properties.accessPolicies[0]',
      excerpt: { objectId: USER, applicationId: null },
    });
    // keys: all reaches every key operation, unwrapping included (a read: it hands back key material)
    const group = g.from(`azure:group:${GROUP}`)[0];
    expect(group?.props.actions).toContain('microsoft.keyvault/vaults/keys/unwrap/action');
    expect(group?.props.actions).toContain('microsoft.keyvault/vaults/keys/purge/action');
    expect(group?.props.actions.every((a) => a.startsWith('microsoft.keyvault/vaults/key'))).toBe(true);
    expect(group?.props.levels).toEqual(['read', 'write']);
    // certificates and managed storage SAS: levels from storage, actions from certificates only
    expect(g.from(`azure:sp:${SP}`)[0]?.props).toMatchObject({
      actions: ['microsoft.keyvault/vaults/certificates/read'],
      levels: ['read'],
    });
    // compound identity: the user only through the application
    expect(compound?.props).toMatchObject({
      conditional: true,
      conditions: [{ compoundIdentity: { applicationId: APP } }],
    });
    expect(compound?.props.actions).toContain('microsoft.keyvault/vaults/secrets/setsecret/action');
    // an object no input describes still gets its edge (a stub principal); an empty entry none
    expect(g.from(`azure:principal:${STRANGER}`)).toHaveLength(1);
    expect(g.src?.nodes.find((n) => n.id === `azure:principal:${STRANGER}`)?.props?.inventoried).toBe(false);
    expect(g.from(`azure:user:${MEMBER}`)).toEqual([]);
  });

  it('a vault whose properties leave out enableRbacAuthorization uses access policies', async () => {
    const g = await grants([
      { file: 's.json', doc: snapshot([vault({ accessPolicies: POLICIES.slice(0, 1) })]) },
    ]);
    expect(g.from(`azure:user:${USER}`)).toHaveLength(1);
  });

  it('a vault using Azure RBAC ignores its access policies', async () => {
    const g = await grants([
      { file: 's.json', doc: snapshot([vault({ enableRbacAuthorization: true, accessPolicies: POLICIES })]) },
    ]);
    expect(g.edges).toEqual([]);
    expect(g.src?.nodes.find((n) => n.id === VAULT)?.props?.accessPoliciesIgnored).toBe(POLICIES.length);
  });

  it('who-can answers through an access policy, group members included', async () => {
    const [src] = await ingestAzure([
      {
        file: 's.json',
        doc: snapshot([vault({ enableRbacAuthorization: false, accessPolicies: POLICIES })]),
      },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'azure-kv-'));
    const store = await EmbeddedStore.open({ dataDir: dir });
    try {
      await loadSources(store, src ? [src] : []);
      const secrets = await whoCan(store, VAULT, {
        action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      });
      expect(secrets.answers.map((a) => a.node.id).sort()).toEqual([`azure:user:${USER}`]);
      const unwrap = await whoCan(store, VAULT, { action: 'Microsoft.KeyVault/vaults/keys/unwrap/action' });
      const member = unwrap.answers.find((a) => a.node.id === `azure:user:${MEMBER}`);
      expect(member?.path.map((h) => h.edge)).toEqual(['MEMBER_OF', 'HAS_ACCESS']);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a member a deny sets apart keeps the group’s access policy grant as its own copy', async () => {
    const reader = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
    const g = await grants([
      {
        file: 's.json',
        doc: snapshot([vault({ accessPolicies: [policy(GROUP, { secrets: ['get'] })] })], {
          roleAssignments: [
            {
              id: `${RG}/providers/Microsoft.Authorization/roleAssignments/1`,
              principalId: GROUP,
              principalType: 'Group',
              roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${reader}`,
              scope: RG,
            },
          ],
          denyAssignments: [
            {
              id: `${RG}/providers/Microsoft.Authorization/denyAssignments/d1`,
              scope: RG,
              permissions: [{ actions: ['*/read'] }],
              principals: [{ id: GROUP, type: 'Group' }],
              excludePrincipals: [{ id: MEMBER, type: 'User' }],
            },
          ],
        }),
      },
    ]);
    const copy = g.from(`azure:user:${MEMBER}`)[0];
    expect(copy?.props).toMatchObject({ inheritedFrom: `azure:group:${GROUP}`, levels: ['read'] });
    expect(g.from(`azure:group:${GROUP}`)).toHaveLength(1);
  });

  it('reads `az keyvault list`, `az keyvault show` and merges them with `az resource list`, in any order', async () => {
    const listed = [vault({ enableRbacAuthorization: false, accessPolicies: POLICIES.slice(0, 1) })];
    const shown = vault({ enableRbacAuthorization: false, accessPolicies: POLICIES.slice(0, 1) });
    expect(rawKind(listed)).toBe('resources');
    expect(rawKind(shown)).toBe('resource');
    // `az resource list` prints no properties but has the identity
    const resources = [
      {
        id: VAULT_ID,
        name: 'kv1',
        type: 'Microsoft.KeyVault/vaults',
        properties: null,
        identity: { type: 'SystemAssigned', principalId: MI, tenantId: T },
      },
    ];
    for (const docs of [
      [listed, resources],
      [resources, listed],
      [shown, resources],
    ]) {
      // the vault's tenantId names the tenant
      const g = await grants(docs.map((doc, i) => ({ file: `f${i}.json`, doc })));
      expect(g.src?.descriptor.id).toBe(`azure:${T}`);
      // no `az ad user list` here: the object is a principal of unknown kind
      expect(g.from(`azure:principal:${USER}`)[0]?.props.actions).toContain(
        'microsoft.keyvault/vaults/secrets/getsecret/action',
      );
      const node = g.src?.nodes.find((n) => n.id === VAULT);
      expect(node?.props?.enableRbacAuthorization).toBe(false);
      expect(g.src?.edges.some((e) => e.kind === 'RUNS_AS' && e.from === VAULT)).toBe(true);
    }
  });

  it('an entry of another tenant is skipped with a warning', async () => {
    const other = { ...policy(USER, { secrets: ['get'] }), tenantId: '11111111-0000-4000-8000-000000000000' };
    const g = await grants([{ file: 's.json', doc: snapshot([vault({ accessPolicies: [other] })]) }]);
    expect(g.edges).toEqual([]);
    expect(g.src?.warnings.join('\n')).toMatch(/accessPolicies\[0\]\.tenantId/);
  });

  it('bad entries name file and JSON path', async () => {
    const bad = snapshot([vault({ accessPolicies: [policy('bob', { secrets: ['get'] })] })]);
    const err = await ingestAzure([{ file: 's.json', doc: bad }]).catch((e) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect(err.jsonPath).toBe('$.resources[0].properties.accessPolicies[0].objectId');
    const raw = [vault({ accessPolicies: [{ ...policy(USER, {}), permissions: { secrets: 'get' } }] })];
    await expect(ingestAzure([{ file: 'kv.json', doc: raw }])).rejects.toMatchObject({
      file: 'kv.json',
      jsonPath: '$[0].properties.accessPolicies[0].permissions.secrets',
    });
  });
});
