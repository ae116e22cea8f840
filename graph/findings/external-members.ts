/**
 * external-member: an identity from outside the organization (outsiders.ts: another Google
 * domain or a consumer account, another project's service account, an Entra guest or
 * another tenant's application) holds access inside it, directly or through the groups it
 * is in and the identities it can become. One finding per (outsider, what it reaches).
 *
 * Not external-trust: that kind is an outsider that can *assume* one of our roles (a trust
 * policy, worst without sts:ExternalId), and not cross-account-access, which names whole
 * AWS accounts. Here the outsider was let into our own bindings, assignments and groups, so
 * the fix is the binding or the membership, and the severity follows what it reaches:
 * admin or changing access high, write medium, anything else low; a reachable escalation
 * (an Entra directory role, ownership, setIamPolicy) high.
 */
import type { AccessLevel, GraphEdge } from '../model.js';
import { PRINCIPAL_KINDS } from '../model.js';
import type { GraphStore } from '../store.js';
import { describeVia, isSynthetic, makeFinding, type NodeNames, severityRank } from './finding.js';
import { OrganizationBoundary, type Outsider } from './outsiders.js';
import type { Finding, Severity } from './types.js';
import { scanNodes, type WalkBounds } from './walk.js';

/** How an outsider becomes a holder of grants: groups and impersonation (escalation is its own finding). */
const HOPS = ['MEMBER_OF', 'CAN_ASSUME'] as const;
const CANDIDATES = ['User', 'Group', 'ServiceAccount', 'ServicePrincipal', 'External'] as const;

/** "guest Gus from partner.example": who the outsider is, in the words of its cloud. */
function describeOutsider(name: string, o: Outsider): string {
  switch (o.reason) {
    case 'consumer-account':
      return `consumer account ${name}`;
    case 'other-domain':
      return `${name} (outside the organization's domains)`;
    case 'other-project':
      return `service account ${name} of project ${o.home}, outside the organization`;
    case 'guest':
      return `guest ${name}${o.home ? ` from ${o.home}` : ''}`;
    case 'other-tenant':
      return `${name}, an application of tenant ${o.home}`;
  }
}

function severityOf(e: GraphEdge): Severity {
  if (e.kind === 'CAN_ESCALATE') return 'high';
  if (e.kind !== 'HAS_ACCESS') return 'low';
  const levels: readonly AccessLevel[] = e.props.levels;
  if ((e.props as { adminEquivalent?: unknown }).adminEquivalent === true) return 'high';
  if (levels.includes('admin') || levels.includes('permissions')) return 'high';
  return levels.includes('write') ? 'medium' : 'low';
}

interface Hit {
  path: GraphEdge[];
  edge: GraphEdge;
  severity: Severity;
}

export async function externalMemberFindings(
  store: GraphStore,
  names: NodeNames,
  bounds: WalkBounds,
  truncated: (why: string) => void,
): Promise<Finding[]> {
  const boundary = await OrganizationBoundary.load(store);
  const out: Finding[] = [];
  for await (const n of scanNodes(store, CANDIDATES)) {
    const outsider = boundary.classify(n);
    if (!outsider) continue;
    const hits = await reachedBy(store, n.id, bounds, truncated);
    if (hits.size === 0) continue;
    await names.load([n.id, ...[...hits.values()].flatMap((h) => [h.edge.from, h.edge.to])]);
    for (const [target, hit] of hits) out.push(toFinding(n.id, target, outsider, hit, names));
  }
  return out;
}

/** Per target: the most severe grant or escalation the principal holds or reaches, shortest path first. */
async function reachedBy(
  store: GraphStore,
  principal: string,
  bounds: WalkBounds,
  truncated: (why: string) => void,
): Promise<Map<string, Hit>> {
  const walk = await store.reach({
    start: principal,
    direction: 'forward',
    shape: { kind: 'edges', edgeKinds: HOPS },
    resultKinds: PRINCIPAL_KINDS,
    ...bounds,
    maxDepth: Math.max(1, bounds.maxDepth - 1),
  });
  if (walk.truncated) truncated(`what ${principal} becomes`);
  const holders = [
    { id: principal, path: [] as GraphEdge[] },
    ...walk.reached.filter((r) => !isSynthetic(r.node)).map((r) => ({ id: r.node.id, path: r.path })),
  ];
  const hits = new Map<string, Hit>();
  for (const h of holders) {
    const edges = await store.getEdges(h.id, {
      kinds: ['HAS_ACCESS', 'CAN_ESCALATE'],
      direction: 'out',
      limit: 10_000,
    });
    for (const edge of edges) {
      const hit = { path: [...h.path, edge], edge, severity: severityOf(edge) };
      const prev = hits.get(edge.to);
      const better =
        !prev ||
        severityRank(hit.severity) < severityRank(prev.severity) ||
        (hit.severity === prev.severity && hit.path.length < prev.path.length);
      if (better) hits.set(edge.to, hit);
    }
  }
  return hits;
}

function toFinding(
  principal: string,
  target: string,
  outsider: Outsider,
  hit: Hit,
  names: NodeNames,
): Finding {
  const who = describeOutsider(names.name(principal), outsider);
  const what = names.name(target);
  const e = hit.edge;
  const access =
    e.kind === 'HAS_ACCESS'
      ? `has ${e.props.levels.join(', ') || 'access'} on ${what}`
      : `can escalate to ${what} (${e.kind === 'CAN_ESCALATE' ? e.props.technique : e.kind})`;
  const direct = hit.path.length === 1;
  const first = hit.path[0];
  return makeFinding({
    kind: 'external-member',
    severity: hit.severity,
    principal,
    target,
    title: `${who} ${access}${direct ? '' : ` through ${names.name(e.from)}`}`,
    path: hit.path,
    remediation: direct
      ? `Remove ${names.name(principal)} from ${describeVia(e)}, or confirm ${outsider.home || 'its owner'} still needs it.`
      : `${firstStep(principal, first, names)}, or narrow ${describeVia(e)}.`,
    details: {
      outsider: outsider.reason,
      home: outsider.home,
      holder: e.from,
      ...(e.kind === 'HAS_ACCESS' ? { levels: e.props.levels } : {}),
    },
  });
}

/** The change that cuts an indirect path at its first hop: the membership, or what lets it impersonate. */
function firstStep(principal: string, first: GraphEdge | undefined, names: NodeNames): string {
  if (!first || first.kind === 'MEMBER_OF')
    return `Remove ${names.name(principal)} from ${first ? names.name(first.to) : 'the group'}`;
  return `Remove ${describeVia(first)}, which lets ${names.name(principal)} become ${names.name(first.to)}`;
}
