import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphEdge, GraphEdgeOf } from '../../graph/model.js';
import { IngestError } from '../errors.js';
import type { IngestedSource } from '../types.js';
import { azureIngester, ingestAzure } from './index.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/azure-snapshot.json', import.meta.url));
const raw = () => JSON.parse(readFileSync(FIXTURE, 'utf8'));
const T = '7e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
const PROD = '/subscriptions/5b0e0001-0000-4000-8000-000000000001';
const DEV = '/subscriptions/5b0e0002-0000-4000-8000-000000000002';
const USERS = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'gina',
  'henry',
  'ivan',
  'judy',
  'ken',
  'leo',
];
const MORE = [
  'mallory',
  'nina',
  'oscar',
  'pat',
  'quinn',
  'rita',
  'sam',
  'tina',
  'uma',
  'victor',
  'walt',
  'xena',
];
const user = (name: string) =>
  `azure:user:a1000000-0000-4000-8000-${String([...USERS, ...MORE].indexOf(name) + 1).padStart(12, '0')}`;
const group = (n: number) => `azure:group:a2000000-0000-4000-8000-00000000000${n}`;
const sp = (n: number) => `azure:sp:a3000000-0000-4000-8000-00000000000${n}`;
const mi = (n: number) => `azure:managedidentity:a5000000-0000-4000-8000-00000000000${n}`;
const PLATFORM = group(1);
const OPS = group(2);
const TIER0 = group(3);
const at = (scope: string) => `azure:${scope.toLowerCase()}`;
const rgApp = `${PROD}/resourcegroups/rg-app`;
const rgData = `${PROD}/resourcegroups/rg-data`;
const kvLegacy = `${rgData}/providers/microsoft.keyvault/vaults/kv-legacy`;
const kvProd = `${rgData}/providers/microsoft.keyvault/vaults/kv-prod`;
const MG_ROOT = `/providers/microsoft.management/managementgroups/${T}`;
const cap = (c: string) => `azure:capability:${T}:${c}`;
const TENANT_ADMIN = `azure:scope-admin:tenant:${T}`;

let src: IngestedSource;
beforeAll(async () => {
  [src] = (await ingestAzure([{ file: FIXTURE, doc: raw() }])) as [IngestedSource];
});
const edges = (kind: GraphEdge['kind'], from?: string, to?: string) =>
  src.edges.filter((e) => e.kind === kind && (!from || e.from === from) && (!to || e.to === to));
const access = (from: string, to?: string) => edges('HAS_ACCESS', from, to) as GraphEdgeOf<'HAS_ACCESS'>[];
const escalations = (from: string) =>
  (edges('CAN_ESCALATE', from) as GraphEdgeOf<'CAN_ESCALATE'>[]).map((e) => [e.to, e.props.technique]);
const assumes = (from: string) => edges('CAN_ASSUME', from).map((e) => e.to);

describe('azure snapshot: inventory and ids', () => {
  it('detects the snapshot and yields one source per tenant', () => {
    expect(azureIngester.detect(raw(), FIXTURE)).toBe(true);
    expect(azureIngester.detect({ format: 'accessgraph-aws-snapshot' }, FIXTURE)).toBe(false);
    expect(src.descriptor).toMatchObject({ id: `azure:${T}`, cloud: 'azure' });
    expect(src.nodes.every((n) => n.id.startsWith('azure:') && n.cloud === 'azure')).toBe(true);
  });

  it('builds / → tenant root group → management group → subscription → resource group → resource', () => {
    const parent = (id: string) => edges('CONTAINS').find((e) => e.to === id)?.from;
    const vm = at(`${rgApp}/providers/Microsoft.Compute/virtualMachines/vm-app`);
    expect(parent(vm)).toBe(at(rgApp));
    expect(parent(at(rgApp))).toBe(at(PROD));
    expect(parent(at(PROD))).toBe(at('/providers/microsoft.management/managementgroups/mg-prod'));
    expect(parent(at('/providers/microsoft.management/managementgroups/mg-prod'))).toBe(at(MG_ROOT));
    expect(parent(at(MG_ROOT))).toBe('azure:/');
    expect(parent(at(DEV))).toBe(at(MG_ROOT));
    expect(src.nodes.find((n) => n.id === at(PROD))).toMatchObject({ kind: 'Subscription', name: 'Prod' });
    expect(src.nodes.find((n) => n.id === vm)).toMatchObject({
      kind: 'Resource',
      type: 'Microsoft.Compute/virtualMachines',
    });
  });

  it('resources run as their managed identities; an identity listed by `az ad sp list` is the same node', () => {
    const vm = at(`${rgApp}/providers/Microsoft.Compute/virtualMachines/vm-app`);
    expect(
      edges('RUNS_AS', vm)
        .map((e) => e.to)
        .sort(),
    ).toEqual([mi(1), mi(2)]);
    expect(src.nodes.filter((n) => n.id === mi(1))).toHaveLength(1);
    expect(src.nodes.find((n) => n.id === mi(1))?.kind).toBe('ManagedIdentity');
    expect(src.nodes.find((n) => n.id === mi(2))?.props?.resourceId).toContain(
      'userassignedidentities/id-deploy',
    );
  });

  it('records sign-in activity and collection errors', () => {
    expect(src.nodes.find((n) => n.id === user('frank'))?.props).toMatchObject({
      lastUsed: '2026-11-21T08:00:00Z',
    });
    expect(src.warnings.join('\n')).toContain('AuditLog.Read.All');
  });
});

describe('azure RBAC evaluation', () => {
  it('grants stay at the assignment scope and reach below through CONTAINS', () => {
    const reader = access(user('nina'));
    expect(reader.map((e) => e.to)).toEqual([at('/providers/microsoft.management/managementgroups/mg-prod')]);
    expect(reader[0]?.props.levels).toEqual(['read']);
    expect(reader[0]?.props.actions.every((a) => a.endsWith('/read'))).toBe(true);
    expect(reader[0]?.via).toMatchObject({ label: expect.stringContaining('Reader') });
    // no per-resource edges: one HAS_ACCESS per assignment
    expect(access(PLATFORM)).toHaveLength(1);
  });

  it('notActions subtract inside the role: Contributor cannot write role assignments, Owner can', () => {
    const contributor = access(PLATFORM, at(PROD))[0];
    expect(contributor?.props.actions).toContain('microsoft.compute/virtualmachines/runcommand/action');
    expect(contributor?.props.actions).not.toContain('microsoft.authorization/roleassignments/write');
    expect(contributor?.props.adminEquivalent).toBe(false);
    const owner = access(user('walt'), at(MG_ROOT))[0];
    expect(owner?.props.actions).toContain('microsoft.authorization/roleassignments/write');
    expect(owner?.props.adminEquivalent).toBe(true);
    expect(owner?.props.levels).toContain('admin');
    // control-plane `*` gives no data actions
    expect(owner?.props.actions).not.toContain('microsoft.keyvault/vaults/secrets/getsecret/action');
  });

  it('data actions are granted by data roles', () => {
    const secrets = access(user('oscar'), at(kvProd))[0];
    expect(secrets?.props.actions).toEqual([
      'microsoft.keyvault/vaults/secrets/getsecret/action',
      'microsoft.keyvault/vaults/secrets/readmetadata/action',
    ]);
    expect(secrets?.props.levels).toEqual(['read']);
  });

  it('ABAC conditions and PIM eligibility make a grant conditional, keeping the expression', () => {
    const judy = access(user('judy'))[0];
    expect(judy?.props.conditional).toBe(true);
    expect(JSON.stringify(judy?.props.conditions)).toContain("StringEquals 'audit'");
    const xena = access(user('xena'))[0];
    expect(xena?.props).toMatchObject({ conditional: true, conditions: [{ pimEligible: true }] });
    expect(access(user('nina'))[0]?.props.conditional).toBe(false);
  });

  it('custom roles from the input are evaluated', () => {
    const mallory = access(user('mallory'), at(DEV))[0];
    expect(mallory?.props.role).toBe('Access Delegator');
    expect(mallory?.props.actions).toContain('microsoft.authorization/roleassignments/write');
    expect(mallory?.props.actions).not.toContain('microsoft.authorization/roleassignments/delete');
  });

  it('an unknown role definition is kept with a warning, never silently dropped', () => {
    expect(src.warnings.join('\n')).toMatch(
      /\$\.roleAssignments\[12\]\.roleDefinitionId: unknown role definition 99999999/,
    );
    const node = src.nodes.find(
      (n) => n.kind === 'Assignment' && n.props?.roleDefinitionId === '99999999-9999-4999-8999-999999999999',
    );
    expect(node?.props?.roleDefinitionKnown).toBe(false);
    expect(access(user('erin'))).toEqual([]);
  });
});

describe('azure deny assignments', () => {
  it('a deny below a grant is an exception on the grant edge', () => {
    const contributor = access(PLATFORM, at(PROD))[0];
    expect(contributor?.props.exceptions).toEqual([
      expect.objectContaining({
        name: 'protect-data',
        scope: rgData,
        childScopes: true,
        scopes: [`azure:${rgData}`],
        conditional: false,
        actionsByLevel: expect.objectContaining({
          write: expect.arrayContaining([
            'microsoft.keyvault/vaults/delete',
            'microsoft.storage/storageaccounts/delete',
          ]),
        }),
      }),
    ]);
  });

  it('an excluded member gets its own copies of the group grants; its membership is not travelled', () => {
    const membership = edges('MEMBER_OF', user('dave'), PLATFORM)[0];
    expect(membership?.props).toEqual({ grantsMaterialized: true });
    const own = access(user('dave'), at(PROD))[0];
    expect(own?.props.inheritedFrom).toBe(PLATFORM);
    expect(own?.props.exceptions).toBeUndefined();
    // members the deny binds like the group keep travelling their membership
    expect(edges('MEMBER_OF', user('carol'), OPS)[0]?.props).toEqual({});
    expect(edges('MEMBER_OF', OPS, PLATFORM)[0]?.props).toEqual({});
  });

  it('a deny on the grant scope removes the operations (pat cannot delegate, mallory can)', () => {
    const pat = access(user('pat'))[0];
    expect(pat?.props.actions).not.toContain('microsoft.authorization/roleassignments/write');
    expect(pat?.props.deniedBy).toEqual([
      expect.objectContaining({
        name: 'no-delegation-for-pat',
        actions: ['microsoft.authorization/roleassignments/write'],
      }),
    ]);
    expect(escalations(user('pat'))).toEqual([]);
    expect(escalations(user('mallory'))).toEqual([
      [`azure:scope-admin:${DEV}`, 'azure-role-assignment-write'],
    ]);
  });
});

describe('azure RBAC abuse edges', () => {
  it('role assignment writers reach the one synthetic admin node of their scope', () => {
    expect(escalations(user('ivan'))).toEqual([
      [`azure:scope-admin:${rgData}`, 'azure-user-access-administrator'],
    ]);
    expect(escalations(user('walt'))).toContainEqual([`azure:scope-admin:${MG_ROOT}`, 'azure-owner']);
    const admin = src.nodes.find((n) => n.id === `azure:scope-admin:${rgData}`);
    expect(admin).toMatchObject({ kind: 'Role', props: { synthetic: true } });
    const full = access(`azure:scope-admin:${rgData}`, at(rgData))[0];
    expect(full?.props.levels).toContain('admin');
    expect(full?.props.actions).toContain('microsoft.keyvault/vaults/secrets/getsecret/action');
    // Contributor and Reader cannot assign roles
    expect(escalations(PLATFORM).map(([to]) => to)).not.toContain(`azure:scope-admin:${PROD}`);
    expect(escalations(user('nina'))).toEqual([]);
  });

  it('VM run command reaches the VM identities (azure-vm-run-command)', () => {
    expect(assumes(user('ken')).sort()).toEqual([mi(1), mi(2)]);
    const e = edges('CAN_ASSUME', user('ken'), mi(1))[0] as GraphEdgeOf<'CAN_ASSUME'>;
    expect(e.props).toMatchObject({ technique: 'azure-vm-run-command', conditional: false });
    expect(e.via?.ref).toContain('roleassignments');
    // VM Contributor on rg-app does not reach the dev VM, nor the automation account's identity
    expect(assumes(user('ken'))).not.toContain(mi(6));
    expect(assumes(user('ken'))).not.toContain(mi(3));
  });

  it('Automation runbooks, Logic Apps and web apps reach their identities', () => {
    expect(assumes(user('victor'))).toEqual([mi(3)]);
    expect(edges('CAN_ASSUME', user('victor'))[0]?.props).toMatchObject({
      technique: 'azure-automation-runbook',
    });
    expect(assumes(user('uma'))).toEqual([mi(5)]);
    expect(assumes(user('leo'))).toEqual([mi(4)]);
    // a Reader runs nothing; a PIM-eligible Owner's path is conditional
    expect(assumes(user('nina'))).toEqual([]);
    expect(edges('CAN_ASSUME', user('xena'), mi(6))[0]?.props).toMatchObject({ conditional: true });
  });

  it('key vault access policies: only vaults without RBAC, only for principals the deny spares', () => {
    const policyWriters = edges('CAN_ESCALATE')
      .filter((e) => e.to === `azure:scope-admin:${kvLegacy}`)
      .map((e) => e.from);
    expect(policyWriters).toEqual([user('dave')]);
    expect(edges('CAN_ESCALATE').some((e) => e.to === `azure:scope-admin:${kvProd}`)).toBe(false);
  });
});

describe('azure Entra abuse edges', () => {
  it('Global Administrator and PIM-eligible Privileged Role Administrator reach the tenant admin', () => {
    expect(escalations(user('alice'))).toContainEqual([TENANT_ADMIN, 'azure-global-admin']);
    const henry = edges('CAN_ESCALATE', user('henry'), TENANT_ADMIN)[0] as GraphEdgeOf<'CAN_ESCALATE'>;
    expect(henry.props).toMatchObject({ technique: 'azure-privileged-role-admin', conditional: true });
    expect(escalations(TENANT_ADMIN)).toContainEqual(['azure:scope-admin:/', 'azure-elevate-access']);
    expect(access('azure:scope-admin:/', 'azure:/')[0]?.props.adminEquivalent).toBe(true);
    expect(access(TENANT_ADMIN)[0]?.to).toBe(`azure:tenant:${T}`);
  });

  it('password reset: privileged roles reach every user, helpdesk users holding no role or only lesser roles', () => {
    expect(escalations(TIER0)).toEqual([[cap('reset-any-password'), 'azure-privileged-auth-admin']]);
    expect(edges('MEMBER_OF', user('quinn'), TIER0)).toHaveLength(1);
    const any = escalations(cap('reset-any-password')).map(([to]) => to);
    expect(any).toContain(user('alice'));
    const lesser = `${cap('reset-lesser-admin-password')}:729827e3-9c14-49f7-bb1b-9608f156bbb8`;
    expect(escalations(user('bob'))).toEqual([
      [cap('reset-nonadmin-password'), 'azure-helpdesk-admin'],
      [lesser, 'azure-helpdesk-admin'],
    ]);
    // the lesser roles Helpdesk Administrators may reset: Password Administrator yes, Groups Administrator no
    const lesserTargets = escalations(lesser).map(([to]) => to);
    expect(lesserTargets).toContain(user('tina'));
    expect(lesserTargets).not.toContain(user('rita'));
    expect(lesserTargets).not.toContain(user('alice'));
    const limited = escalations(cap('reset-nonadmin-password')).map(([to]) => to);
    expect(limited).toContain(user('frank'));
    expect(limited).not.toContain(user('alice'));
    expect(limited).not.toContain(user('henry')); // eligible roles count as roles
    expect(limited).not.toContain(user('quinn')); // holds a role through a role-assignable group
  });

  it('administrative-unit scoped roles reach only the unit members', () => {
    expect(escalations(user('tina'))).toEqual([[user('frank'), 'azure-password-admin']]);
  });

  it('AddMembers: Groups Administrator reaches groups that are not role-assignable', () => {
    expect(escalations(user('rita'))).toEqual([
      [cap('add-members-nonrole-assignable'), 'azure-groups-admin'],
    ]);
    const groups = escalations(cap('add-members-nonrole-assignable')).map(([to]) => to);
    expect(groups.sort()).toEqual([PLATFORM, OPS]);
    expect(groups).not.toContain(TIER0);
  });

  it('AddSecret: object-scoped Application Administrator and app owners reach that service principal only', () => {
    expect(escalations(user('gina'))).toEqual([[sp(1), 'azure-application-admin']]);
    expect(escalations(user('erin'))).toEqual([[sp(1), 'azure-app-owner-add-secret']]);
  });

  it('group owners can add themselves', () => {
    expect(escalations(user('sam'))).toEqual([[OPS, 'azure-group-owner']]);
  });

  it('Graph app roles: RoleManagement.ReadWrite.Directory is tenant admin, User.Read.All is nothing', () => {
    expect(escalations(sp(2))).toEqual([[TENANT_ADMIN, 'azure-graph-role-management']]);
    expect(escalations(sp(3))).toEqual([]);
  });

  it('every derived edge says what caused it', () => {
    for (const e of src.edges)
      if (e.kind === 'HAS_ACCESS' || e.kind === 'CAN_ESCALATE' || e.kind === 'CAN_ASSUME')
        expect(e.via).not.toBeNull();
  });
});

describe('azure snapshot: bad input', () => {
  it('names file, JSON path and problem', async () => {
    const badGuid = raw();
    badGuid.groupMembers[0].memberId = 'not-a-guid';
    await expect(ingestAzure([{ file: 'snap.json', doc: badGuid }])).rejects.toMatchObject({
      file: 'snap.json',
      jsonPath: '$.groupMembers[0].memberId',
    });
    const badScope = raw();
    badScope.roleAssignments[2].scope = '/tenants/nope';
    const err = await ingestAzure([{ file: 'snap.json', doc: badScope }]).catch((e) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect(err.jsonPath).toBe('$.roleAssignments[2].scope');
    expect(err.problem).toMatch(/not an Azure scope/);
    const badPerm = raw();
    badPerm.roleDefinitions[0].permissions[0].actions[0] = 7;
    await expect(ingestAzure([{ file: 'snap.json', doc: badPerm }])).rejects.toMatchObject({
      jsonPath: '$.roleDefinitions[0].permissions[0].actions[0]',
    });
    const extra = raw();
    extra.surprise = true;
    await expect(ingestAzure([{ file: 'snap.json', doc: extra }])).rejects.toMatchObject({
      jsonPath: '$',
      problem: 'unknown property "surprise"',
    });
  });
});
