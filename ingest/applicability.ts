/**
 * The per-cloud answer to "which actions matter on this node?", used by who-can when no
 * action is asked for. Null means no narrowing (unknown cloud or not a typed resource).
 */
import type { GraphNode } from '../graph/model.js';
import type { AccessQuery } from '../graph/queries/access.js';
import type { GraphStore } from '../graph/store.js';
import { awsActionsApplicableTo } from './aws/applicable-actions.js';

export async function actionsApplicableTo(node: GraphNode | null): Promise<string[] | null> {
  if (node?.kind !== 'Resource') return null;
  if (node.cloud === 'aws') return awsActionsApplicableTo(node.type);
  return null;
}

/** The who-can question narrowed to the actions that matter on its target, unless an action was asked. */
export async function narrowToTarget(
  store: GraphStore,
  resource: string,
  q: AccessQuery,
): Promise<AccessQuery> {
  if (q.action || q.applicableActions) return q;
  const applicable = await actionsApplicableTo(await store.getNode(resource));
  return applicable ? { ...q, applicableActions: applicable } : q;
}
