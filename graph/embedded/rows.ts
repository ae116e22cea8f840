/**
 * How a graph element becomes a row of the embedded store: the one place that decides what
 * each column holds, for rows written directly (sqlite-store.ts) and rows staged by a build
 * worker (staging.ts).
 */
import { isGuarded } from '../access-exceptions.js';
import { type GraphEdge, type GraphNode, isTraversable } from '../model.js';
import { ACTIONS_PLACEHOLDER } from './action-sets.js';

/** A node's columns but `source`, in the order of NODE_COLUMNS. */
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

/**
 * An edge's columns but `source`, in the order of EDGE_COLUMNS: id, kind, src, dst, via,
 * props, the action set, levels, traversable, guarded. `actionSet` turns props.actions (stored
 * once per distinct list, action-sets.ts) into what the writer keeps: a set id in the store,
 * a set key in a staging file.
 */
export function edgeColumns<K>(
  e: GraphEdge,
  actionSet: (actions: readonly unknown[]) => K,
): [string, string, string, string, string | null, string, K | null, string | null, 0 | 1, 0 | 1] {
  const p = (e.props ?? {}) as { actions?: unknown; levels?: unknown };
  const actions = Array.isArray(p.actions) ? (p.actions as readonly unknown[]) : null;
  return [
    e.id,
    e.kind,
    e.from,
    e.to,
    e.via === null || e.via === undefined ? null : JSON.stringify(e.via),
    // the list goes to action_sets; the placeholder keeps its place among the keys
    JSON.stringify(actions ? { ...p, actions: ACTIONS_PLACEHOLDER } : p),
    actions ? actionSet(actions) : null,
    Array.isArray(p.levels) ? JSON.stringify(p.levels) : null,
    isTraversable(e) ? 1 : 0,
    isGuarded(e) ? 1 : 0,
  ];
}

/** Column lists in the order nodeColumns and edgeColumns return them. */
export const NODE_COLUMNS = 'id, cloud, kind, name, name_lc, id_lc, type, props';
export const EDGE_COLUMNS = 'id, kind, src, dst, via, props, actions_set, levels, traversable, guarded';
