/** Writes an effective grant as a HAS_ACCESS edge, creating the scope node it lands on. */
import type { JsonObject, JsonValue } from '../../graph/model.js';
import type { ActionCatalog } from './action-catalog.js';
import type { EffectiveGrant } from './grants.js';
import type { GraphBuilder } from './graph-builder.js';
import { accountOfArn, resourceTypeOfArn, scopeKind, serviceOfArn } from './scope.js';

export interface AccountRef {
  accountNode: string;
  accountId: string;
}

export function emitAccessEdge(
  g: GraphBuilder,
  catalog: ActionCatalog,
  account: AccountRef,
  holder: string,
  gr: EffectiveGrant,
  extra: JsonObject = {},
): void {
  const scopeId = scopeNode(g, gr.scope, account);
  const levels = [...new Set(gr.actions.map((a) => a.level))];
  if (catalog.coversAService(gr.actions, serviceOfArn(gr.scope))) levels.push('admin');
  const props: JsonObject = {
    actions: gr.actions.map((a) => a.id).sort(),
    levels: levels.sort(),
    conditional: gr.conditional,
    conditions: gr.conditional ? gr.conditions : null,
    resource: gr.scope,
    ...extra,
  };
  if (gr.notResources) props.notResources = gr.notResources;
  if (gr.exceptions.length > 0) props.exceptions = gr.exceptions;
  g.edge({
    kind: 'HAS_ACCESS',
    from: holder,
    to: scopeId,
    via: {
      ref: gr.att.policyId,
      label: gr.att.label,
      statement: gr.st.sid ?? gr.st.index,
      excerpt: gr.st.raw as JsonValue,
    },
    props: props as never,
    discriminator: `${gr.att.policyId}#${gr.st.index}#${gr.scope}${gr.part > 0 ? `#${gr.part}` : ''}`,
  });
}

/** The node a grant's scope lands on: the account, a resource, or a resource pattern. */
export function scopeNode(g: GraphBuilder, scope: string, account: AccountRef): string {
  const kind = scopeKind(scope);
  if (kind === 'account') return account.accountNode;
  if (g.nodes.has(scope)) return scope;
  if (kind === 'resource') {
    g.node({
      id: scope,
      kind: 'Resource',
      name: scope.split(':').slice(5).join(':') || scope,
      type: resourceTypeOfArn(scope),
      props: { inventoried: false },
    });
  } else {
    g.node({
      id: scope,
      kind: 'Resource',
      name: scope,
      type: 'aws:resource-pattern',
      props: { pattern: true },
    });
  }
  if (accountOfArn(scope) === account.accountId) {
    g.edge({ kind: 'CONTAINS', from: account.accountNode, to: scope, via: null, props: {} });
  }
  return scope;
}
