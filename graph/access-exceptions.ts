/**
 * Partial denies on a grant, in one cloud-neutral form.
 *
 * A deny that covers only part of what a grant reaches (an AWS deny on a narrower resource
 * pattern, a GCP deny policy attached below the binding's scope, an Azure deny assignment
 * below the role assignment) cannot be applied when the HAS_ACCESS edge is written without
 * splitting the grant per resource, the explosion DESIGN.md forbids. So ingesters list such
 * denies on the edge (`exceptions`, written with `guardProps`) and the reach walker applies
 * them (`guardOutcome`) for the one node a path ends at. An AWS grant's `NotResource` is the
 * same thing: the grant reaches its scope except what the patterns match.
 */
import { wildcardMatch } from '../lib/wildcard.js';
import type { AccessLevel, GraphEdge, GraphNode, JsonObject, JsonValue } from './model.js';
import type { EdgeFilter } from './reach-automaton.js';

/** Ingesters add fields of their own that name the deny (policy, rule, assignment). */
export interface AccessException {
  /** the grant's actions this deny takes away, by access level (ids as in the edge's `actions`) */
  actionsByLevel: Partial<Record<AccessLevel, string[]>>;
  /** covers targets whose id matches one of these globs (`*`, `?`; case-sensitive) … */
  resources?: string[];
  /** … and none of these (alone: covers every target matching none of them) */
  notResources?: string[];
  /** covers these nodes and, unless `childScopes` is false, everything they contain */
  scopes?: string[];
  childScopes?: boolean;
  /** true when the deny holds only under a condition nobody could decide at load time */
  conditional: boolean;
  [describe: string]: JsonValue | undefined;
}

/** What the denies an ingester found leave of a grant, as props for its HAS_ACCESS edge. */
export function guardProps(
  grantActions: ReadonlyArray<{ id: string; level: AccessLevel }>,
  exceptions: readonly AccessException[],
): JsonObject {
  if (exceptions.length === 0) return {};
  const levelCounts: Partial<Record<AccessLevel, number>> = {};
  for (const a of grantActions) levelCounts[a.level] = (levelCounts[a.level] ?? 0) + 1;
  return { exceptions: exceptions as unknown as JsonValue[], levelCounts };
}

/** Group denied actions by level, for an AccessException. */
export function byLevel(
  actions: ReadonlyArray<{ id: string; level: AccessLevel }>,
): Partial<Record<AccessLevel, string[]>> {
  const out: Partial<Record<AccessLevel, string[]>> = {};
  for (const a of actions) {
    const list = out[a.level] ?? [];
    list.push(a.id);
    out[a.level] = list;
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

/**
 * Denies a node carries for whoever reaches it (`props.denies`): an AWS resource policy's
 * Deny statements that name everyone and depend on nothing about the caller (say, "deny
 * unless TLS"). They bind every grant that reaches the node or what it contains, so they are
 * written once on the node instead of on every grant edge (an account with 500 such bucket
 * policies gave each broad grant 500 exceptions, kilobytes each). The reach walker judges
 * them with the grant's own exceptions (`guardOutcome`). `actionsByLevel` may list actions a
 * grant does not hold: only those it holds are taken away.
 */
export function nodeDeniesOf(n: Pick<GraphNode, 'props'>): AccessException[] {
  const d = (n.props as { denies?: unknown } | undefined)?.denies;
  return Array.isArray(d) ? (d as AccessException[]) : [];
}

/** Whether a HAS_ACCESS edge carries anything `guardOutcome` must look at (stores index this). */
export function isGuarded(e: Pick<GraphEdge, 'kind' | 'props'>): boolean {
  if (e.kind !== 'HAS_ACCESS') return false;
  const p = e.props as { exceptions?: unknown; notResources?: unknown };
  return (
    (Array.isArray(p.exceptions) && p.exceptions.length > 0) ||
    (Array.isArray(p.notResources) && p.notResources.length > 0)
  );
}

export type GuardOutcome =
  /** `withheld`: the actions denies certainly take away here (the rest of the edge's hold) */
  | { effect: 'clear'; withheld: string[] }
  /** the access holds unless one of `denies` (undecided conditions) applies */
  | { effect: 'conditional'; withheld: string[]; denies: AccessException[] }
  | { effect: 'denied' };

const anyMatch = (patterns: readonly string[] | undefined, id: string) =>
  (patterns ?? []).some((p) => wildcardMatch(p, id));

function covers(ex: AccessException, chain: readonly string[]): boolean {
  if (ex.scopes) {
    const scopes = new Set(ex.scopes);
    return ex.childScopes === false ? scopes.has(chain[0]!) : chain.some((n) => scopes.has(n));
  }
  const target = chain[0]!;
  if (ex.resources && !anyMatch(ex.resources, target)) return false;
  if (ex.notResources && anyMatch(ex.notResources, target)) return false;
  return true;
}

interface GuardedProps {
  actions?: string[];
  levels?: string[];
  exceptions?: AccessException[];
  notResources?: string[];
  levelCounts?: Partial<Record<string, number>>;
}

/**
 * What a guarded HAS_ACCESS edge gives on one node. `chain` lists the node first, then the
 * nodes containing it on the path, up to the edge's own scope. `nodeDenies` are the denies
 * the chain's nodes carry themselves (`nodeDeniesOf`), judged with the edge's own. The access survives when the
 * actions the applicable denies leave still pass `filter` (as passesFilter would judge the
 * whole edge); `admin` survives no applicable deny, since a deny takes full control away.
 */
export function guardOutcome(
  edge: Pick<GraphEdge, 'kind' | 'props'>,
  chain: readonly string[],
  filter: EdgeFilter | undefined,
  nodeDenies: readonly AccessException[] = [],
): GuardOutcome {
  const p = edge.props as GuardedProps;
  // A NotResource grant never reached what its patterns match.
  if (p.notResources?.length && anyMatch(p.notResources, chain[0]!)) return { effect: 'denied' };
  const applicable = [...(p.exceptions ?? []), ...nodeDenies].filter((ex) => covers(ex, chain));
  if (applicable.length === 0) return { effect: 'clear', withheld: [] };
  const certain = removal(applicable.filter((ex) => !ex.conditional));
  if (!survives(p, certain, filter)) return { effect: 'denied' };
  const withheld = [...certain.ids].sort();
  if (!survives(p, removal(applicable), filter))
    return { effect: 'conditional', withheld, denies: applicable.filter((ex) => ex.conditional) };
  return { effect: 'clear', withheld };
}

interface Removal {
  count: number;
  ids: Set<string>;
  byLevel: Map<string, Set<string>>;
}

function removal(denies: readonly AccessException[]): Removal {
  const ids = new Set<string>();
  const byLevel = new Map<string, Set<string>>();
  // data written before exceptions had this form carries no actionsByLevel: it removes nothing
  for (const d of denies) {
    for (const [level, list] of Object.entries(d.actionsByLevel ?? {})) {
      const set = byLevel.get(level) ?? new Set<string>();
      for (const id of list ?? []) {
        set.add(id);
        ids.add(id);
      }
      byLevel.set(level, set);
    }
  }
  return { count: denies.length, ids, byLevel };
}

/** A grant's held actions as a set and by lower-cased id; grants share action arrays, so per array. */
const heldIndex = new WeakMap<readonly string[], { set: Set<string>; lower: Map<string, string[]> }>();
function heldIndexOf(held: readonly string[]) {
  let ix = heldIndex.get(held);
  if (!ix) {
    const lower = new Map<string, string[]>();
    for (const a of held) {
      const k = a.toLowerCase();
      const list = lower.get(k);
      if (list) list.push(a);
      else lower.set(k, [a]);
    }
    ix = { set: new Set(held), lower };
    heldIndex.set(held, ix);
  }
  return ix;
}

// Costs what the denies and the filter list, not what the grant holds (admin-like grants
// hold ~21,600 actions and are judged once per crossing).
function survives(p: GuardedProps, removed: Removal, filter: EdgeFilter | undefined): boolean {
  if (removed.count === 0) return true;
  const held = heldIndexOf(p.actions ?? []);
  const isLeft = (a: string) => !removed.ids.has(a);
  // fewer removed ids than held ones: something held is certainly left
  if (removed.ids.size >= held.set.size && ![...held.set].some(isLeft)) return false;
  if (filter?.actionsAny && ![...filter.actionsAny].some((w) => held.lower.get(w)?.some(isLeft)))
    return false;
  if (filter?.levelsAny) {
    // a deny may list actions this edge does not hold (another part of the grant has them)
    const removedAt = (l: string) => {
      let n = 0;
      for (const a of removed.byLevel.get(l) ?? []) if (held.set.has(a)) n++;
      return n;
    };
    const kept = (p.levels ?? []).filter((l) => {
      if (l === 'admin') return false; // some deny applies: no longer full control
      const total = p.levelCounts?.[l];
      return total === undefined || removedAt(l) < total;
    });
    if (!kept.some((l) => filter.levelsAny!.has(l as AccessLevel))) return false;
  }
  return true;
}
