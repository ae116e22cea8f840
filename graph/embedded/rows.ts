/**
 * How a graph element becomes a row of the embedded store: the one place that decides what
 * each column holds, for rows written directly (sqlite-store.ts) and rows staged by a build
 * worker (staging.ts).
 */
import { isGuarded } from '../access-exceptions.js';
import { type GraphEdge, type GraphNode, isTraversable } from '../model.js';
import { ACTIONS_PLACEHOLDER } from './action-sets.js';

/** A node's columns but `source`: id, cloud, kind, name, name_lc, id_lc, type, props. */
export type NodeColumns = [string, string, string, string, string, string, string | null, string];

export function nodeColumns(n: GraphNode): NodeColumns {
  return [
    n.id,
    n.cloud,
    n.kind,
    n.name,
    n.name.toLowerCase(),
    n.id.toLowerCase(),
    n.type ?? null,
    JSON.stringify(n.props ?? {}),
  ];
}

/** An edge's columns but `source`, with its action list still a list (the writer interns it). */
export interface EdgeColumns {
  id: string;
  kind: string;
  src: string;
  dst: string;
  via: string | null;
  props: string;
  /** props.actions, stored once per distinct list in `action_sets` (action-sets.ts) */
  actions: readonly unknown[] | null;
  levels: string | null;
  traversable: 0 | 1;
  guarded: 0 | 1;
}

export function edgeColumns(e: GraphEdge): EdgeColumns {
  const p = (e.props ?? {}) as { actions?: unknown; levels?: unknown };
  const actions = Array.isArray(p.actions) ? (p.actions as readonly unknown[]) : null;
  return {
    id: e.id,
    kind: e.kind,
    src: e.from,
    dst: e.to,
    via: e.via === null || e.via === undefined ? null : JSON.stringify(e.via),
    // the list goes to action_sets; the placeholder keeps its place among the keys
    props: JSON.stringify(actions ? { ...p, actions: ACTIONS_PLACEHOLDER } : p),
    actions,
    levels: Array.isArray(p.levels) ? JSON.stringify(p.levels) : null,
    traversable: isTraversable(e) ? 1 : 0,
    guarded: isGuarded(e) ? 1 : 0,
  };
}
