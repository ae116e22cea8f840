/**
 * Differential property test: for random hierarchies, nested groups, bindings and deny
 * rules, what the graph grants along MEMBER_OF → HAS_ACCESS (→ CONTAINS) equals a direct
 * reading of Google's rules: an allow binding at the resource or an ancestor for the
 * principal or a group it is in, and no deny rule at the resource or an ancestor that
 * names the principal (or its groups) and not its exceptions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GraphEdgeOf } from '../../graph/model.js';
import { ingestGcp } from './index.js';

const USERS = ['u0', 'u1', 'u2', 'u3'];
const GROUPS = ['g0', 'g1', 'g2'];
const PERMS = ['storage.buckets.get', 'storage.buckets.delete', 'storage.objects.get'];
const ROLES: Record<string, string[]> = {
  'organizations/1/roles/r0': ['storage.buckets.get', 'storage.buckets.delete'],
  'organizations/1/roles/r1': ['storage.objects.get'],
  'organizations/1/roles/r2': ['storage.buckets.get', 'storage.objects.get'],
};
// organization → folder → two projects
const SCOPES = ['organizations/1', 'folders/2', 'projects/proj-a', 'projects/proj-b'];
const PARENT: Record<string, string | undefined> = {
  'folders/2': 'organizations/1',
  'projects/proj-a': 'folders/2',
  'projects/proj-b': 'folders/2',
};
const ancestorsOrSelf = (s: string) => {
  const out = [s];
  for (let p = PARENT[s]; p; p = PARENT[p]) out.push(p);
  return out;
};
const memberString = (m: string) => (m.startsWith('g') ? `group:${m}@x.example` : `user:${m}@x.example`);
const v2 = (m: string) =>
  m === '*'
    ? 'principalSet://goog/public:all'
    : m.startsWith('g')
      ? `principalSet://goog/group/${m}@x.example`
      : `principal://goog/subject/${m}@x.example`;
const nodeId = (m: string) => (m.startsWith('g') ? `gcp:group:${m}@x.example` : `gcp:user:${m}@x.example`);
const scopeNode = (s: string) => `gcp:${s}`;

const world = fc.record({
  memberships: fc.uniqueArray(fc.tuple(fc.constantFrom(...USERS, ...GROUPS), fc.constantFrom(...GROUPS)), {
    maxLength: 6,
    selector: ([a, b]) => `${a}|${b}`,
  }),
  bindings: fc.array(
    fc.record({
      scope: fc.constantFrom(...SCOPES),
      role: fc.constantFrom(...Object.keys(ROLES)),
      member: fc.constantFrom(...USERS, ...GROUPS),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  denies: fc.array(
    fc.record({
      scope: fc.constantFrom('organizations/1', 'folders/2', 'projects/proj-a'),
      denied: fc.constantFrom('*', ...USERS, ...GROUPS),
      exception: fc.option(fc.constantFrom(...USERS, ...GROUPS), { nil: undefined }),
      permission: fc.constantFrom(...PERMS),
    }),
    { maxLength: 3 },
  ),
});
type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function snapshotOf(w: World): unknown {
  const groups = GROUPS.map((g) => ({
    email: `${g}@x.example`,
    members: w.memberships.filter(([m, grp]) => grp === g && m !== g).map(([m]) => memberString(m)),
  }));
  return {
    format: 'accessgraph-gcp-snapshot',
    version: 1,
    collectedAt: '2026-11-29T00:00:00Z',
    organizations: [{ name: 'organizations/1' }],
    folders: [{ name: 'folders/2', parent: 'organizations/1' }],
    projects: [
      { projectId: 'proj-a', parent: 'folders/2' },
      { projectId: 'proj-b', parent: 'folders/2' },
    ],
    customRoles: Object.entries(ROLES).map(([name, includedPermissions]) => ({ name, includedPermissions })),
    groups,
    iamPolicies: SCOPES.map((s) => ({
      resource: `//cloudresourcemanager.googleapis.com/${s}`,
      policy: {
        bindings: w.bindings
          .filter((b) => b.scope === s)
          .map((b) => ({ role: b.role, members: [memberString(b.member)] })),
      },
    })),
    denyPolicies: w.denies.map((d, i) => ({
      name: `policies/${encodeURIComponent(`cloudresourcemanager.googleapis.com/${d.scope}`)}/denypolicies/d${i}`,
      rules: [
        {
          denyRule: {
            deniedPrincipals: [v2(d.denied)],
            exceptionPrincipals: d.exception ? [v2(d.exception)] : [],
            deniedPermissions: [`storage.googleapis.com/${d.permission.split('.').slice(1).join('.')}`],
          },
        },
      ],
    })),
  };
}

/** Google's rules, read directly. */
function expected(w: World, user: string, scope: string, perm: string): boolean {
  const groupsOf = new Set<string>();
  const stack = [user];
  while (stack.length) {
    const x = stack.pop() as string;
    for (const [m, g] of w.memberships)
      if (m === x && m !== g && !groupsOf.has(g)) {
        groupsOf.add(g);
        stack.push(g);
      }
  }
  const me = new Set([user, ...groupsOf]);
  const above = ancestorsOrSelf(scope);
  const allowed = w.bindings.some(
    (b) => me.has(b.member) && above.includes(b.scope) && (ROLES[b.role] ?? []).includes(perm),
  );
  const denied = w.denies.some(
    (d) =>
      above.includes(d.scope) &&
      d.permission === perm &&
      (d.denied === '*' || me.has(d.denied)) &&
      !(d.exception && me.has(d.exception)),
  );
  return allowed && !denied;
}

/** What the graph grants along traversable MEMBER_OF* → HAS_ACCESS → CONTAINS*. */
function granted(
  edges: GraphEdgeOf<'MEMBER_OF' | 'HAS_ACCESS'>[],
  user: string,
  scope: string,
  perm: string,
): boolean {
  const holders = new Set([nodeId(user)]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of edges)
      if (
        e.kind === 'MEMBER_OF' &&
        holders.has(e.from) &&
        !e.props.grantsMaterialized &&
        !holders.has(e.to)
      ) {
        holders.add(e.to);
        grew = true;
      }
  }
  const above = ancestorsOrSelf(scope).map(scopeNode);
  return edges.some((e) => {
    if (e.kind !== 'HAS_ACCESS' || !holders.has(e.from) || !above.includes(e.to)) return false;
    const p = (e as GraphEdgeOf<'HAS_ACCESS'>).props;
    if (!p.actions.includes(perm) || p.conditional) return false;
    // a deny attached between the grant's scope and this one removes the permission here
    const exceptions = (p.exceptions ?? []) as Array<{
      attachmentPoint: string;
      permissions: string[];
      certain: boolean;
    }>;
    return !exceptions.some(
      (x) => above.includes(x.attachmentPoint) && x.permissions.includes(perm) && x.certain,
    );
  });
}

async function checkWorld(w: World): Promise<void> {
  const [src] = await ingestGcp([{ file: 'w.json', doc: snapshotOf(w) }], {
    now: new Date('2026-11-29T00:00:00Z'),
  });
  const edges = (src?.edges ?? []).filter(
    (e) => e.kind === 'MEMBER_OF' || e.kind === 'HAS_ACCESS',
  ) as GraphEdgeOf<'MEMBER_OF' | 'HAS_ACCESS'>[];
  for (const u of USERS)
    for (const s of SCOPES)
      for (const p of PERMS) expect(granted(edges, u, s, p), `${u} ${p} on ${s}`).toBe(expected(w, u, s, p));
}

describe('GCP evaluation matches the documented rules', () => {
  it('property: allow inheritance, nested groups and deny rules with exceptions', async () => {
    await fc.assert(fc.asyncProperty(world, checkWorld), { numRuns: 150 });
  });

  it('a deny still binds a member whose groups nest in a cycle (found by the property)', async () => {
    await checkWorld({
      memberships: [
        ['g1', 'g0'],
        ['u1', 'g0'],
        ['g0', 'g1'],
      ],
      bindings: [{ scope: 'organizations/1', role: 'organizations/1/roles/r0', member: 'g1' }],
      denies: [
        { scope: 'organizations/1', denied: 'u1', exception: undefined, permission: 'storage.buckets.get' },
      ],
    } as unknown as World);
  });
});
