/**
 * Path shapes as small automata, shared by every store that walks the graph itself.
 *
 * A path is accepted when it starts in `initial` and ends in an `accepting` state. Forward
 * searches start at the anchored node in `initial` and report nodes reached in an accepting
 * state; reverse searches start at the anchored node in every accepting state, follow
 * transitions backwards, and report nodes reached in `initial`.
 */
import type { AccessLevel, EdgeKind } from './model.js';
import type { ReachShape } from './store.js';

export interface EdgeFilter {
  actionsAny?: ReadonlySet<string>;
  levelsAny?: ReadonlySet<AccessLevel>;
}

export interface Transition {
  from: number;
  to: number;
  kinds: ReadonlySet<EdgeKind>;
  filter?: EdgeFilter;
}

export interface ShapeAutomaton {
  initial: number;
  accepting: ReadonlySet<number>;
  transitions: readonly Transition[];
  /** every edge kind any transition uses */
  kinds: EdgeKind[];
}

export function automatonFor(shape: ReachShape): ShapeAutomaton {
  if (shape.kind === 'edges') {
    const kinds = new Set(shape.edgeKinds);
    return {
      initial: 0,
      accepting: new Set([0]),
      transitions: [{ from: 0, to: 0, kinds }],
      kinds: [...kinds],
    };
  }
  // access: hops* (state 0) → HAS_ACCESS (0 → 1) → CONTAINS* (state 1)
  const filter: EdgeFilter = {};
  if (shape.actionsAny?.length) filter.actionsAny = new Set(shape.actionsAny.map((a) => a.toLowerCase()));
  if (shape.levelsAny?.length) filter.levelsAny = new Set(shape.levelsAny);
  const hops = new Set(shape.hopKinds);
  const transitions: Transition[] = [
    { from: 0, to: 0, kinds: hops },
    { from: 0, to: 1, kinds: new Set<EdgeKind>(['HAS_ACCESS']), filter },
    { from: 1, to: 1, kinds: new Set<EdgeKind>(['CONTAINS']) },
  ];
  const kinds = new Set<EdgeKind>([...hops, 'HAS_ACCESS', 'CONTAINS']);
  return { initial: 0, accepting: new Set([1]), transitions, kinds: [...kinds] };
}

/** Does an edge's access payload pass the filter? Missing lists never match a non-empty filter. */
export function passesFilter(
  filter: EdgeFilter | undefined,
  actions: readonly string[] | undefined,
  levels: readonly string[] | undefined,
): boolean {
  if (!filter) return true;
  if (filter.actionsAny && !(actions ?? []).some((a) => filter.actionsAny!.has(a.toLowerCase())))
    return false;
  if (filter.levelsAny && !(levels ?? []).some((l) => filter.levelsAny!.has(l as AccessLevel))) return false;
  return true;
}
