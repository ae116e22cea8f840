/**
 * admin-equivalent: principals that, after full evaluation, can do everything on every
 * resource of a scope. The ingesters flag such grants (`props.adminEquivalent`); whoever
 * holds one, and whoever can become a holder through group membership or role assumption,
 * is an administrator in effect. (Becoming one by escalation is a privilege-escalation
 * finding instead.) Synthetic "administrator of scope" nodes are escalation targets, never
 * reported here.
 */
import type { GraphEdge } from '../model.js';
import type { GraphStore } from '../store.js';
import { describeVia, isInsider, makeFinding, type NodeNames } from './finding.js';
import type { Finding } from './types.js';
import { principalsBecoming, scanEdges, type WalkBounds } from './walk.js';

const HOPS = ['MEMBER_OF', 'CAN_ASSUME'] as const;

export interface AdminGrants {
  /** every flagged grant */
  grants: GraphEdge[];
  /** the principals holding one directly */
  holders: Set<string>;
}

export async function adminGrants(store: GraphStore): Promise<AdminGrants> {
  const grants: GraphEdge[] = [];
  for await (const e of scanEdges(store, 'HAS_ACCESS', 'adminEquivalent')) grants.push(e);
  return { grants, holders: new Set(grants.map((g) => g.from)) };
}

/** For each principal with an admin-equivalent finding, the scopes it administers. */
export function administeredScopes(findings: readonly Finding[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const f of findings) {
    if (f.kind !== 'admin-equivalent') continue;
    const set = out.get(f.principal) ?? new Set<string>();
    set.add(f.target);
    out.set(f.principal, set);
  }
  return out;
}

export async function adminFindings(
  store: GraphStore,
  names: NodeNames,
  admin: AdminGrants,
  bounds: WalkBounds,
  truncated: (why: string) => void,
): Promise<Finding[]> {
  await names.load(admin.grants.flatMap((g) => [g.from, g.to]));
  const best = new Map<string, { principal: string; path: GraphEdge[]; grant: GraphEdge }>();
  const offer = (principal: string, path: GraphEdge[], grant: GraphEdge) => {
    const key = `${principal}\u0000${grant.to}`;
    const prev = best.get(key);
    if (!prev || prev.path.length > path.length) best.set(key, { principal, path, grant });
  };
  for (const grant of admin.grants) {
    if (!isInsider(names.node(grant.from))) continue;
    offer(grant.from, [grant], grant);
    const walk = await principalsBecoming(store, grant.from, HOPS, {
      ...bounds,
      maxDepth: Math.max(1, bounds.maxDepth - 1),
    });
    if (walk.truncated) truncated(`principals becoming ${grant.from}`);
    for (const r of walk.reached) offer(r.node.id, [...r.path, grant], grant);
  }
  await names.load([...best.values()].map((b) => b.principal));
  const out: Finding[] = [];
  for (const { principal, path, grant } of best.values()) {
    if (!isInsider(names.node(principal))) continue;
    const direct = path.length === 1;
    out.push(
      makeFinding({
        kind: 'admin-equivalent',
        severity: 'high',
        principal,
        target: grant.to,
        title: `${names.name(principal)} is an administrator of ${names.name(grant.to)}${
          direct ? '' : ` through ${names.name(grant.from)}`
        }`,
        path,
        remediation: direct
          ? `Replace ${describeVia(grant)} with the actions ${names.name(principal)} needs.`
          : `Review why ${names.name(principal)} can become ${names.name(grant.from)}, or narrow ${describeVia(grant)}.`,
        details: { holder: grant.from },
      }),
    );
  }
  return out;
}
