/**
 * A deterministic synthetic organization for benchmarks until the demo/scale generator
 * (ingest/demo) lands: users in groups (nested), group grants on accounts and buckets,
 * roles assumed by users. Same seed, same graph.
 */
import { type AccessLevel, edgeId, type GraphEdge, type GraphNode } from '../graph/model.js';
import type { SourceDescriptor } from '../graph/store.js';

export interface SyntheticSize {
  users: number;
  groups: number;
  roles: number;
  accounts: number;
  resourcesPerAccount: number;
}

export const TIERS: Record<string, SyntheticSize> = {
  XS: { users: 200, groups: 20, roles: 20, accounts: 2, resourcesPerAccount: 500 },
  S: { users: 1000, groups: 100, roles: 100, accounts: 5, resourcesPerAccount: 2000 },
  M: { users: 20_000, groups: 1000, roles: 1000, accounts: 50, resourcesPerAccount: 4000 },
};

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SYNTHETIC_SOURCE: SourceDescriptor = { id: 'bench:synthetic', cloud: 'aws' };

export function synthetic(
  size: SyntheticSize,
  seed = 42,
): { nodes: GraphNode[]; edges: GraphEdge[]; resources: string[]; users: string[] } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const src = SYNTHETIC_SOURCE.id;
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const node = (id: string, kind: GraphNode['kind'], name: string, type?: string) => {
    const n: GraphNode = { id, cloud: 'aws', kind, name, source: src, props: {} };
    if (type) n.type = type;
    nodes.push(n);
    return id;
  };
  const plain = (kind: 'MEMBER_OF' | 'CONTAINS', from: string, to: string) =>
    edges.push({ id: edgeId(kind, from, to), kind, from, to, source: src, via: null, props: {} });
  const grant = (from: string, to: string, actions: string[], levels: AccessLevel[], i: number) =>
    edges.push({
      id: edgeId('HAS_ACCESS', from, to, `p${i}`),
      kind: 'HAS_ACCESS',
      from,
      to,
      source: src,
      via: { ref: `policy-${i}`, label: `policy-${i}`, statement: 0, excerpt: null },
      props: { actions, levels, conditional: r() < 0.05, conditions: null },
    });

  const accounts = Array.from({ length: size.accounts }, (_, a) =>
    node(`acct-${a}`, 'Account', `account-${a}`, 'aws:account'),
  );
  const resources: string[] = [];
  for (const acct of accounts) {
    for (let i = 0; i < size.resourcesPerAccount; i++) {
      const id = node(`arn:aws:s3:::${acct}-bucket-${i}`, 'Resource', `${acct}-bucket-${i}`, 's3:bucket');
      plain('CONTAINS', acct, id);
      resources.push(id);
    }
  }
  const groups = Array.from({ length: size.groups }, (_, g) => node(`group-${g}`, 'Group', `group-${g}`));
  // nesting: each group after the first tenth joins one earlier group
  groups.forEach((g, i) => {
    if (i >= size.groups / 10) plain('MEMBER_OF', g, groups[Math.floor(r() * i)]!);
  });
  const users = Array.from({ length: size.users }, (_, u) => node(`user-${u}`, 'User', `user-${u}`));
  for (const u of users) {
    plain('MEMBER_OF', u, pick(groups));
    if (r() < 0.5) plain('MEMBER_OF', u, pick(groups));
  }
  const roles = Array.from({ length: size.roles }, (_, i) => node(`role-${i}`, 'Role', `role-${i}`));
  let p = 0;
  for (const role of roles) {
    for (let k = 0; k < 5; k++) {
      const from = pick(users);
      edges.push({
        id: edgeId('CAN_ASSUME', from, role),
        kind: 'CAN_ASSUME',
        from,
        to: role,
        source: src,
        via: { ref: `${role}#trust`, label: 'trust', statement: 0, excerpt: null },
        props: { conditional: false, conditions: null },
      });
    }
    grant(role, pick(accounts), ['s3:getobject', 's3:putobject'], ['read', 'write'], p++);
  }
  // the first tenth of groups (the roots) get account-wide read; others get a few buckets
  groups.forEach((g, i) => {
    if (i < size.groups / 10)
      grant(g, pick(accounts), ['s3:getobject', 's3:listbucket'], ['read', 'list'], p++);
    else for (let k = 0; k < 3; k++) grant(g, pick(resources), ['s3:getobject'], ['read'], p++);
  });
  return { nodes, edges: dedupe(edges), resources, users };
}

function dedupe(edges: GraphEdge[]): GraphEdge[] {
  return [...new Map(edges.map((e) => [e.id, e])).values()];
}
