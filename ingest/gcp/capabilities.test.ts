/**
 * The three methods that hand over no principal (capabilities.ts): each with a positive case
 * and blocked look-alikes (permission missing, denied by a deny policy, condition false), on
 * a small organization: org 1 → folder 10 → project app-prod; org 1 → project tools-prod.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphEdge, GraphEdgeOf } from '../../graph/model.js';
import type { IngestedSource } from '../types.js';
import { ingestGcp } from './index.js';

const NOW = new Date('2026-11-29T00:00:00Z');
const ORG = 'gcp:organizations/1';
const FOLDER = 'gcp:folders/10';
const APP = 'gcp:projects/app-prod';
const TOOLS = 'gcp:projects/tools-prod';
const user = (n: string) => `gcp:user:${n}@example.com`;
const orgPolicy = (scope: string) => `gcp:org-policy-control:${scope.slice(4)}`;
const apiKeys = (project: string) => `gcp:api-keys:${project.slice(4)}`;
const SET = 'gcp-orgpolicy-policy-set';
const CREATE = 'gcp-serviceusage-apiKeys-create';
const LIST = 'gcp-serviceusage-apiKeys-list';

const crm = (scope: string) => `//cloudresourcemanager.googleapis.com/${scope}`;
const EXPIRED = { title: 'expired', expression: 'request.time < timestamp("2026-01-01T00:00:00Z")' };
const UNDECIDED = { title: 'office hours', expression: 'request.time.getHours("Europe/Berlin") < 18' };
const b = (role: string, who: string, condition?: object) => ({
  role,
  members: [`user:${who}@example.com`],
  ...(condition ? { condition } : {}),
});
const deny = (scope: string, name: string, who: string, permissions: string[]) => ({
  name: `policies/cloudresourcemanager.googleapis.com%2F${scope.replace('/', '%2F')}/denypolicies/${name}`,
  rules: [
    {
      denyRule: {
        deniedPrincipals: [`principal://goog/subject/${who}@example.com`],
        deniedPermissions: permissions,
      },
    },
  ],
});

const snapshot = {
  format: 'accessgraph-gcp-snapshot',
  version: 1,
  collectedAt: '2026-11-29T00:00:00Z',
  organizations: [{ name: 'organizations/1', displayName: 'example.com' }],
  folders: [{ name: 'folders/10', displayName: 'Apps', parent: 'organizations/1' }],
  projects: [
    { projectId: 'app-prod', projectNumber: '111', parent: 'folders/10' },
    { projectId: 'tools-prod', projectNumber: '222', parent: 'organizations/1' },
  ],
  groups: [{ email: 'readers@example.com', members: ['user:rhea@example.com', 'user:ross@example.com'] }],
  customRoles: [
    {
      name: 'organizations/1/roles/orgPolicyReader',
      title: 'reads organization policies',
      includedPermissions: ['orgpolicy.policy.get', 'orgpolicy.constraints.list'],
    },
    {
      name: 'organizations/1/roles/keyNames',
      title: 'lists API keys without their strings',
      includedPermissions: ['apikeys.keys.list', 'apikeys.keys.get'],
    },
    {
      name: 'organizations/1/roles/legacyKeyLister',
      title: 'lists API keys with the legacy permission',
      includedPermissions: ['serviceusage.apiKeys.list'],
    },
  ],
  iamPolicies: [
    {
      resource: crm('organizations/1'),
      policy: {
        bindings: [
          b('roles/orgpolicy.policyAdmin', 'olga'),
          b('roles/orgpolicy.policyAdmin', 'dora'),
          b('roles/orgpolicy.policyAdmin', 'cora', EXPIRED),
          b('roles/orgpolicy.policyAdmin', 'una', UNDECIDED),
          b('organizations/1/roles/orgPolicyReader', 'reed'),
          b('roles/serviceusage.apiKeysAdmin', 'alan'),
          b('roles/owner', 'root'),
        ],
      },
    },
    {
      resource: crm('folders/10'),
      policy: {
        bindings: [
          b('roles/orgpolicy.policyAdmin', 'fred'),
          // below olga's organization-wide grant: adds nothing
          b('roles/orgpolicy.policyAdmin', 'olga'),
          b('roles/editor', 'ed'),
        ],
      },
    },
    {
      resource: crm('projects/tools-prod'),
      policy: {
        bindings: [
          b('roles/serviceusage.apiKeysAdmin', 'dina'),
          b('roles/serviceusage.apiKeysAdmin', 'cole', EXPIRED),
          b('roles/serviceusage.apiKeysViewer', 'uri', UNDECIDED),
          b('organizations/1/roles/keyNames', 'kim'),
          b('organizations/1/roles/legacyKeyLister', 'lee'),
          b('roles/viewer', 'vic'),
          b('roles/viewer', 'val', EXPIRED),
          { role: 'roles/viewer', members: ['group:readers@example.com'] },
        ],
      },
    },
  ],
  denyPolicies: [
    deny('organizations/1', 'no-org-policy', 'dora', ['orgpolicy.googleapis.com/policy.set']),
    deny('projects/tools-prod', 'no-new-keys', 'dina', [
      'apikeys.googleapis.com/keys.create',
      'serviceusage.googleapis.com/apiKeys.create',
    ]),
    deny('projects/tools-prod', 'no-key-strings', 'vic', [
      'apikeys.googleapis.com/keys.getKeyString',
      'serviceusage.googleapis.com/apiKeys.list',
    ]),
  ],
};

let src: IngestedSource;
beforeAll(async () => {
  const sources = await ingestGcp([{ file: 'capabilities.json', doc: structuredClone(snapshot) }], {
    now: NOW,
  });
  expect(sources).toHaveLength(1);
  src = sources[0] as IngestedSource;
});
const escalations = (from: string) =>
  src.edges.filter((e): e is GraphEdgeOf<'CAN_ESCALATE'> => e.kind === 'CAN_ESCALATE' && e.from === from);
/** `technique → target` for each CAN_ESCALATE edge of a principal, sorted */
const gains = (from: string) =>
  escalations(from)
    .map((e) => `${e.props.technique} → ${e.to}`)
    .sort();
const node = (id: string) => src.nodes.find((n) => n.id === id);

describe('gcp SetOrgPolicyConstraints (gcp-orgpolicy-policy-set)', () => {
  it('reaches organization-policy control of the binding scope, once for a scope and all below it', () => {
    expect(gains(user('olga'))).toEqual([`${SET} → ${orgPolicy(ORG)}`]);
    expect(gains(user('fred'))).toEqual([`${SET} → ${orgPolicy(FOLDER)}`]);
    const e = escalations(user('olga'))[0] as GraphEdge;
    expect(e.via?.ref).toBe(`${ORG}#iam-policy`);
    expect(e.props).toMatchObject({ conditional: false });
  });

  it('the node says what is gained, flagged synthetic, with no access of its own', () => {
    expect(node(orgPolicy(ORG))).toMatchObject({
      kind: 'Role',
      name: 'organization-policy control of organizations/1',
      type: 'gcp:org-policy-control',
      props: {
        synthetic: true,
        scope: ORG,
        gains: 'can lift organization-policy guardrails on organizations/1',
        escalationSeverity: 'high',
      },
    });
    expect(src.edges.filter((e) => e.from === orgPolicy(ORG))).toEqual([]);
  });

  it('an undecided condition keeps the edge, conditional, with the condition', () => {
    const e = escalations(user('una'))[0];
    expect(e?.props).toMatchObject({ technique: SET, conditional: true });
    expect(JSON.stringify(e?.props.conditions)).toContain('getHours');
  });

  it.each([
    ['only reads organization policies (permission missing)', 'reed'],
    ['denied orgpolicy.policy.set by a deny policy', 'dora'],
    ['its binding condition expired', 'cora'],
  ])('no edge: %s', (_why, who) => {
    expect(gains(user(who))).toEqual([]);
  });
});

describe('gcp CreateAPIKey (gcp-serviceusage-apiKeys-create)', () => {
  it('reaches the API keys of each project at or below the binding', () => {
    expect(gains(user('alan'))).toEqual(
      [
        `${CREATE} → ${apiKeys(APP)}`,
        `${CREATE} → ${apiKeys(TOOLS)}`,
        `${LIST} → ${apiKeys(APP)}`,
        `${LIST} → ${apiKeys(TOOLS)}`,
      ].sort(),
    );
    // Editor on the folder: the project below it, not the one beside it
    expect(gains(user('ed'))).toEqual([`${CREATE} → ${apiKeys(APP)}`, `${LIST} → ${apiKeys(APP)}`]);
  });

  it('the node says what is gained, flagged synthetic, with no access of its own', () => {
    expect(node(apiKeys(TOOLS))).toMatchObject({
      kind: 'Role',
      name: 'API keys of projects/tools-prod',
      type: 'gcp:api-keys',
      props: {
        synthetic: true,
        scope: TOOLS,
        gains: 'can create or read the API keys of projects/tools-prod',
        escalationSeverity: 'medium',
      },
    });
    expect(src.edges.filter((e) => e.from === apiKeys(TOOLS))).toEqual([]);
  });

  it('denied key creation by a deny policy: no create edge (reading the keys is not denied)', () => {
    expect(gains(user('dina'))).toEqual([`${LIST} → ${apiKeys(TOOLS)}`]);
  });

  it.each([
    ['its binding condition expired', 'cole'],
    ['can list key names only (permission missing)', 'kim'],
  ])('no edge: %s', (_why, who) => {
    expect(gains(user(who))).toEqual([]);
  });

  it('an organization owner already administers every project (scope admin): no API-key edges', () => {
    const root = escalations(user('root'));
    expect(root.length).toBeGreaterThan(0);
    expect(root.every((e) => e.to.startsWith('gcp:scope-admin:'))).toBe(true);
  });
});

describe('gcp ViewExistingAPIKeys (gcp-serviceusage-apiKeys-list)', () => {
  it('the legacy list permission, and getKeyString (every Viewer holds it)', () => {
    expect(gains(user('lee'))).toEqual([`${LIST} → ${apiKeys(TOOLS)}`]);
    // a group's grant: one edge from the group, its members share it
    expect(gains('gcp:group:readers@example.com')).toEqual([`${LIST} → ${apiKeys(TOOLS)}`]);
    expect(gains(user('rhea'))).toEqual([]);
  });

  it('an undecided condition keeps the edge, conditional', () => {
    expect(escalations(user('uri')).map((e) => [e.props.technique, e.props.conditional])).toEqual([
      [LIST, true],
    ]);
  });

  it.each([
    ['denied getKeyString and the legacy list by a deny policy', 'vic'],
    ['its Viewer binding expired', 'val'],
    ['apikeys.keys.list names keys without their strings (permission missing)', 'kim'],
  ])('no edge: %s', (_why, who) => {
    expect(gains(user(who))).toEqual([]);
  });
});
