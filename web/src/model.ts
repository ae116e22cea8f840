/**
 * Turns API answers into the explorer's own graph (view nodes and edges), and aggregates
 * large results so the drawn graph stays a few hundred elements whatever the answer size:
 * answer endpoints that share their first hop (e.g. all members of one group) collapse into
 * one compound node "+N principals through X".
 */
import type { AccessAnswer, GEdge, GNode } from './api';

export type VRole = 'anchor' | 'answer' | 'mid' | 'cluster';

export interface VNode {
  id: string;
  label: string;
  kind: string;
  role: VRole;
  cloud?: string;
  /** the API node when known */
  node?: GNode;
  /** cluster: how many answers it stands for and their ids */
  count?: number;
  members?: string[];
  /** neighborhood expansion: which node pulled this one in */
  expandedFrom?: string;
  /** drawn because the user opened this cluster */
  fromCluster?: string;
}

export interface VEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  kind: string;
  conditional: boolean;
  escalation: boolean;
  crossAccount: boolean;
  /** the API edge (for clusters: the representative; all members share kind, target and via) */
  edge?: GEdge;
  count?: number;
  expandedFrom?: string;
}

export interface VGraph {
  nodes: VNode[];
  edges: VEdge[];
  /** answers drawn individually vs inside clusters */
  shown: number;
  clustered: number;
}

const PRINCIPAL_KINDS = new Set([
  'User',
  'Group',
  'Role',
  'ServiceAccount',
  'ServicePrincipal',
  'ManagedIdentity',
  'External',
]);
export const isPrincipal = (kind: string) => PRINCIPAL_KINDS.has(kind);

/** Best-effort display name for an id the API returned without a node. */
export function shortName(id: string): string {
  if (id === '*') return 'anyone (*)';
  const arn = /^arn:[^:]*:([^:]*):[^:]*:[^:]*:(.*)$/.exec(id);
  if (arn) {
    const rest = arn[2]!;
    const parts = rest.split(/[/:]/).filter(Boolean);
    return parts[parts.length - 1] ?? rest;
  }
  const parts = id.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? id;
}

/** Best-effort kind for an id the API returned without a node. */
export function guessKind(id: string): string {
  const m = /^arn:[^:]*:([^:]*):[^:]*:[^:]*:([^/:]*)/.exec(id);
  if (m) {
    const [, service, res] = m;
    if (service === 'iam') {
      if (res === 'user') return 'User';
      if (res === 'group') return 'Group';
      if (res === 'role') return 'Role';
      if (res === 'policy') return 'Policy';
    }
    if (service === 'organizations') {
      if (res === 'account') return 'Account';
      if (res === 'ou') return 'OrgUnit';
      if (res === 'root' || res === 'organization') return 'Organization';
    }
    return 'Resource';
  }
  if (/^\/subscriptions\/[^/]+$/i.test(id)) return 'Subscription';
  if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(id)) return 'ResourceGroup';
  if (/^projects\/[^/]+$/.test(id)) return 'Project';
  if (/^folders\//.test(id)) return 'Folder';
  if (/^organizations\//.test(id)) return 'Organization';
  if (/^(user|group|serviceAccount):/.test(id)) return id.startsWith('group:') ? 'Group' : 'User';
  return 'Resource';
}

/** The account / project / subscription an id lives in, when its form says so. */
export function accountOf(id: string, kind?: string): string | null {
  const arn = /^arn:[^:]*:[^:]*:[^:]*:([^:]*):(.*)$/.exec(id);
  if (arn) {
    if ((kind ?? guessKind(id)) === 'Account') {
      const parts = arn[2]!.split('/');
      return parts[parts.length - 1] || null;
    }
    return arn[1] || null;
  }
  const sub = /^\/subscriptions\/([^/]+)/i.exec(id);
  if (sub) return sub[1]!.toLowerCase();
  const proj = /projects\/([^/]+)/.exec(id);
  if (proj) return proj[1]!;
  return null;
}

export function edgeLabel(e: GEdge): string {
  switch (e.kind) {
    case 'HAS_ACCESS': {
      const lv = e.levels?.length ? e.levels.join('/') : `${e.actions?.length ?? 0} actions`;
      return e.via?.label ? `${e.via.label} · ${lv}` : lv;
    }
    case 'MEMBER_OF':
      return 'member of';
    case 'CAN_ASSUME':
      return 'can assume';
    case 'CAN_ESCALATE':
      return `escalates: ${e.technique ?? '?'}`;
    case 'CONTAINS':
      return 'contains';
    default:
      return e.kind.toLowerCase().replace('_', ' ');
  }
}

export function isCrossAccount(e: GEdge, kinds: Map<string, string>): boolean {
  if (e.kind === 'CONTAINS' || e.kind === 'ATTACHED_TO') return false;
  const a = accountOf(e.from, kinds.get(e.from));
  const b = accountOf(e.to, kinds.get(e.to));
  return a !== null && b !== null && a !== b;
}

export function toVEdge(e: GEdge, kinds: Map<string, string>): VEdge {
  return {
    id: e.id,
    source: e.from,
    target: e.to,
    label: edgeLabel(e),
    kind: e.kind,
    conditional: e.conditional,
    escalation: e.kind === 'CAN_ESCALATE',
    crossAccount: isCrossAccount(e, kinds),
    edge: e,
  };
}

export function toVNode(id: string, role: VRole, node?: GNode): VNode {
  const kind = node?.kind ?? guessKind(id);
  return {
    id,
    label: node?.name || shortName(id),
    kind,
    role,
    ...(node?.cloud ? { cloud: node.cloud } : {}),
    ...(node ? { node } : {}),
  };
}

export interface BuildOptions {
  /** the resource (whoCan) or principal (canReach) the question is about */
  anchor: string;
  anchorNode?: GNode;
  /** other nodes known by id (intermediate hops) */
  extra?: readonly GNode[];
  /** whoCan: answers sit at the start of their paths; canReach: at the end */
  side: 'start' | 'end';
  /** above this many answers, cluster them */
  clusterAbove: number;
  /** clusters the user opened */
  expanded: ReadonlySet<string>;
  /** answers to keep drawn individually (e.g. the selected one) */
  pinned: ReadonlySet<string>;
  /** most members drawn individually from one opened cluster */
  maxPerExpandedCluster?: number;
  /** most nodes to draw before clustering coarser (default 150) */
  budget?: number;
}

/** The node at `i` hops from the anchor along an answer's path (0 is the anchor itself). */
function nodeAt(a: AccessAnswer, i: number, side: 'start' | 'end'): string {
  const k = a.path.length;
  if (side === 'start') return i === 0 ? a.path[k - 1]!.to : a.path[k - i]!.from;
  return i === 0 ? a.path[0]!.from : a.path[i - 1]!.to;
}
/** The hop between the nodes at t+1 and t hops from the anchor. */
const hopInto = (a: AccessAnswer, t: number, side: 'start' | 'end') =>
  side === 'start' ? a.path[a.path.length - 1 - t]! : a.path[t]!;
/** The part of the path from the node at t hops to the anchor. */
const suffix = (a: AccessAnswer, t: number, side: 'start' | 'end') =>
  side === 'start' ? a.path.slice(a.path.length - t) : a.path.slice(0, t);

export const clusterId = (target: string) => `cluster:${target}`;

/**
 * Builds the drawn graph for whoCan / canReach answers. Small answers are drawn whole. Large
 * ones cluster each answer at a node `t` hops from the anchor (t = min(level, path length - 1)):
 * with no level limit that is the answer's first hop (all members of one group become one
 * node); when that still draws more than `budget` nodes, the level drops so clusters gather
 * further towards the anchor (all principals under one department), until it fits.
 */
export function buildAccessGraph(answers: readonly AccessAnswer[], opt: BuildOptions): VGraph {
  const budget = opt.budget ?? 150;
  if (answers.length <= opt.clusterAbove) return buildAt(answers, opt, Number.POSITIVE_INFINITY);
  // the level is chosen without the user's opened clusters, so opening one never re-clusters the rest
  const maxLen = Math.max(1, ...answers.map((a) => a.path.length));
  const plain = { ...opt, expanded: new Set<string>() };
  let level = Number.POSITIVE_INFINITY;
  let g = buildAt(answers, plain, level);
  for (let l = maxLen - 2; l >= 1 && g.nodes.length > budget; l--) {
    level = l;
    g = buildAt(answers, plain, level);
  }
  return opt.expanded.size ? buildAt(answers, opt, level) : g;
}

function buildAt(answers: readonly AccessAnswer[], opt: BuildOptions, level: number): VGraph {
  const known = new Map<string, GNode>();
  for (const n of opt.extra ?? []) known.set(n.id, n);
  for (const a of answers) known.set(a.node.id, a.node);
  if (opt.anchorNode) known.set(opt.anchorNode.id, opt.anchorNode);
  const kinds = new Map<string, string>();
  for (const [id, n] of known) kinds.set(id, n.kind);
  const clustering = answers.length > opt.clusterAbove;

  // where each answer would be gathered; answers that are such a place stay individual
  const at = new Map<AccessAnswer, number>();
  const targets = new Set<string>();
  if (clustering)
    for (const a of answers) {
      if (a.path.length === 0) continue;
      const t = Math.min(level, a.path.length - 1);
      at.set(a, t);
      targets.add(nodeAt(a, t, opt.side));
    }

  const groups = new Map<string, AccessAnswer[]>();
  const individual: AccessAnswer[] = [];
  for (const a of answers) {
    const t = at.get(a);
    if (t === undefined || targets.has(a.node.id) || opt.pinned.has(a.node.id)) {
      individual.push(a);
      continue;
    }
    const key = clusterId(nodeAt(a, t, opt.side));
    const g = groups.get(key);
    if (g) g.push(a);
    else groups.set(key, [a]);
  }

  const nodes = new Map<string, VNode>();
  const edges = new Map<string, VEdge>();
  const addPath = (path: readonly GEdge[], answerId: string | null, fromCluster?: string) => {
    for (const e of path) {
      for (const id of [e.from, e.to]) {
        if (!nodes.has(id)) {
          const role: VRole = id === opt.anchor ? 'anchor' : id === answerId ? 'answer' : 'mid';
          nodes.set(id, {
            ...toVNode(id, role, known.get(id)),
            ...(fromCluster && id === answerId ? { fromCluster } : {}),
          });
        }
      }
      if (!edges.has(e.id)) edges.set(e.id, toVEdge(e, kinds));
    }
  };
  nodes.set(opt.anchor, toVNode(opt.anchor, 'anchor', known.get(opt.anchor)));

  let clustered = 0;
  const cap = opt.maxPerExpandedCluster ?? 150;
  const drawnFrom = new Map<string, string>();
  for (const [key, members] of groups) {
    if (members.length < 3 || opt.expanded.has(key)) {
      const drawn = opt.expanded.has(key) ? members.slice(0, cap) : members;
      for (const a of drawn) {
        individual.push(a);
        if (opt.expanded.has(key)) drawnFrom.set(a.node.id, key);
      }
      if (drawn.length === members.length) continue;
      members.splice(0, drawn.length);
    }
    clustered += members.length;
    const rep = members[0]!;
    const t = at.get(rep)!;
    const target = nodeAt(rep, t, opt.side);
    addPath(suffix(rep, t, opt.side), null);
    if (!nodes.has(target)) nodes.set(target, toVNode(target, 'mid', known.get(target)));
    const byKind = new Map<string, number>();
    for (const m of members) byKind.set(m.node.kind, (byKind.get(m.node.kind) ?? 0) + 1);
    const what =
      byKind.size === 1
        ? plural([...byKind.keys()][0]!, members.length)
        : opt.side === 'start'
          ? 'principals'
          : 'resources';
    nodes.set(key, {
      id: key,
      label: `+${members.length.toLocaleString('en-US')} ${what} via ${nodes.get(target)!.label}`,
      kind: 'Cluster',
      role: 'cluster',
      count: members.length,
      members: members.map((m) => m.node.id),
    });
    // one edge stands for every member's hop into the target; it explains the first member's
    const hops = new Set(
      members.map((m) => {
        const h = hopInto(m, at.get(m)!, opt.side);
        return `${h.kind}|${h.via?.ref ?? ''}`;
      }),
    );
    const ve = toVEdge(hopInto(rep, t, opt.side), kinds);
    edges.set(`${key}>e`, {
      ...ve,
      id: `${key}>e`,
      source: opt.side === 'start' ? key : target,
      target: opt.side === 'start' ? target : key,
      label: `${hops.size === 1 ? ve.label : 'various'} ×${members.length.toLocaleString('en-US')}`,
      count: members.length,
      crossAccount: ve.crossAccount && hops.size === 1,
    });
  }
  for (const a of individual) addPath(a.path, a.node.id, drawnFrom.get(a.node.id));
  for (const a of individual) {
    const n = nodes.get(a.node.id);
    if (n && n.role !== 'anchor') {
      n.role = 'answer';
      const from = drawnFrom.get(a.node.id);
      if (from) n.fromCluster = from;
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], shown: individual.length, clustered };
}

function plural(kind: string, n: number): string {
  const word = kind === 'Policy' ? 'policies' : `${kind.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}s`;
  return n === 1 ? kind.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : word;
}

/** Graph of one or more explicit paths (the path view) plus the nodes the API returned. */
export function buildPathsGraph(paths: GEdge[][], nodesIn: GNode[], from: string, to: string): VGraph {
  const known = new Map(nodesIn.map((n) => [n.id, n]));
  const kinds = new Map(nodesIn.map((n) => [n.id, n.kind]));
  const nodes = new Map<string, VNode>();
  const edges = new Map<string, VEdge>();
  for (const p of paths)
    for (const e of p) {
      for (const id of [e.from, e.to])
        if (!nodes.has(id))
          nodes.set(id, toVNode(id, id === to ? 'anchor' : id === from ? 'answer' : 'mid', known.get(id)));
      if (!edges.has(e.id)) edges.set(e.id, toVEdge(e, kinds));
    }
  return { nodes: [...nodes.values()], edges: [...edges.values()], shown: paths.length, clustered: 0 };
}

/** Ordering of access levels from weakest to strongest. */
export const LEVEL_RANK: Record<string, number> = {
  list: 1,
  read: 2,
  tagging: 3,
  write: 4,
  permissions: 5,
  admin: 6,
};

export function answerLevels(a: AccessAnswer): string[] {
  const hop = a.path.find((e) => e.kind === 'HAS_ACCESS');
  return hop?.levels ?? [];
}

export function maxLevel(a: AccessAnswer): number {
  return Math.max(0, ...answerLevels(a).map((l) => LEVEL_RANK[l] ?? 0));
}

export function answerVia(a: AccessAnswer): string {
  return a.path.find((e) => e.kind === 'HAS_ACCESS')?.via?.label ?? '';
}
