/**
 * The per-cloud answer to "which actions matter on this node?", used by who-can when no
 * action is asked for. Null means no narrowing (unknown cloud or not a typed resource).
 */
import type { GraphNode } from '../graph/model.js';
import type { AccessQuery } from '../graph/queries/access.js';
import type { GraphStore } from '../graph/store.js';
import { placeholderNode } from '../graph/store.js';
import { awsActionsApplicableTo } from './aws/applicable-actions.js';
import { awsContainersOf } from './aws/containers.js';
import { resourceTypeOfArn } from './aws/scope.js';

export async function actionsApplicableTo(node: GraphNode | null): Promise<string[] | null> {
  if (node?.kind !== 'Resource') return null;
  if (node.cloud === 'aws') return awsActionsApplicableTo(node.type);
  return null;
}

/**
 * The who-can question fitted to its target: narrowed to the actions that matter on it unless
 * an action was asked, and, for a resource no source inventoried, pointed at the nodes that
 * contain it (`within`).
 */
export async function narrowToTarget(
  store: GraphStore,
  resource: string,
  q: AccessQuery,
): Promise<AccessQuery> {
  const node = await store.getNode(resource);
  let out = q;
  if (!node && resource.startsWith('arn:')) {
    const within = await awsContainersOf(store, resource);
    if (within.length > 0) out = { ...out, within };
  }
  if (out.action || out.applicableActions) return out;
  const applicable = await actionsApplicableTo(
    node ??
      (out.within
        ? { ...placeholderNode(resource), cloud: 'aws', kind: 'Resource', type: resourceTypeOfArn(resource) }
        : null),
  );
  return applicable ? { ...out, applicableActions: applicable } : out;
}
