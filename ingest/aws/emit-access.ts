/** Writes an effective grant as a HAS_ACCESS edge, creating the scope node it lands on. */
import { type AccessException, byLevel, guardProps } from '../../graph/access-exceptions.js';
import type { AccessLevel, JsonObject, JsonValue } from '../../graph/model.js';
import type { ActionCatalog, ActionInfo } from './action-catalog.js';
import { variablesAsWildcards } from './eval/variables.js';
import type { EffectiveGrant } from './grants.js';
import type { GraphBuilder } from './graph-builder.js';
import {
  accountOfArn,
  patternNodeId,
  resourceTypeOfArn,
  s3ResourceTypeOf,
  scopeKind,
  serviceOfArn,
} from './scope.js';

export interface AccountRef {
  accountNode: string;
  accountId: string;
  /** S3 buckets this source inventories: grants on their objects land on the bucket node */
  buckets?: ReadonlySet<string>;
}

export function emitAccessEdge(
  g: GraphBuilder,
  catalog: ActionCatalog,
  account: AccountRef,
  holder: string,
  gr: EffectiveGrant,
  extra: JsonObject = {},
): string {
  const objects = objectsOfBucket(gr.scope, account.buckets);
  const scopeId = scopeNode(g, objects ? objects.bucket : gr.scope, account);
  const summary = summaryOf(catalog, gr.actions, serviceOfArn(gr.scope), s3ResourceTypeOf(gr.scope));
  const props: JsonObject = {
    actions: summary.ids,
    levels: summary.levels,
    conditional: gr.conditional,
    conditions: gr.conditional ? gr.conditions : null,
    resource: gr.scope,
    ...(objects ? { objectPattern: objects.key } : {}),
    ...extra,
  };
  // Cross-account requests need both sides (AWS, "Cross-account policy evaluation logic"):
  // an identity grant on another account's resource needs that resource's policy, a resource
  // policy's grant to an outsider needs the outsider's own policies; one source sees one side
  // (everyone, `aws:*`, includes anonymous callers, who have no policies of their own).
  const owner = accountOfArn(gr.scope);
  const outsider = props.crossAccount === true && holder !== 'aws:*';
  if (outsider || (!extra.resourcePolicy && owner !== null && owner !== account.accountId)) {
    props.crossAccount = true;
    props.conditional = true;
    props.conditions = gr.conditions;
  }
  if (gr.notResources) props.notResources = gr.notResources;
  Object.assign(props, guardProps(gr.actions, [...gr.exceptions, ...outsideOwnPattern(gr)]));
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
  return scopeId;
}

/**
 * Objects (`arn:aws:s3:::bucket/key-or-pattern`) of a bucket this source inventories. Their
 * grants go on the bucket node, with the object part in `objectPattern`: who-can walks from a
 * resource back to grants on it and on what CONTAINS it, and a pattern node below the bucket
 * would never be found from the bucket. Grants on buckets named by a wildcard or owned by
 * another account keep their pattern node.
 */
function objectsOfBucket(
  scope: string,
  buckets: ReadonlySet<string> | undefined,
): { bucket: string; key: string } | null {
  if (!buckets || buckets.size === 0) return null;
  const m = /^(arn:[^:]+:s3:::[^/]+)\/(.*)$/.exec(scope);
  if (!m?.[1] || m[2] === undefined || !buckets.has(m[1])) return null;
  return { bucket: m[1], key: m[2] };
}

/**
 * S3 objects are reached through their bucket's node, but a grant on that node (or on a
 * pattern node containing the bucket) covers only the objects its own Resource matches: a key
 * pattern in one bucket, a pattern of buckets and keys, none for a bucket. The objects it does
 * not match get a partial deny, so who-can on an object ARN (graph/reach-walk.ts) judges them
 * like any other.
 */
function outsideOwnPattern(gr: EffectiveGrant): AccessException[] {
  const type = s3ResourceTypeOf(gr.scope);
  const partition = /^arn:([^:]+):s3:::/.exec(gr.scope)?.[1];
  if (!partition) return [];
  let within: string;
  if (type === 'object') {
    within = `${gr.scope.slice(0, gr.scope.indexOf('/'))}/*`;
  } else {
    // a grant on buckets (or a bucket-or-object pattern) reaches their objects' node, the
    // bucket, but covers only the objects its pattern matches itself
    within = `arn:${partition}:s3:::*/*`;
  }
  if (gr.scope === within || gr.scope === `arn:${partition}:s3:::*`) return [];
  return [
    {
      effect: 'OutsideResourcePattern',
      resources: [within],
      // a variable without a static value may be anything: only what no value could match is out
      notResources: [variablesAsWildcards(gr.scope)],
      actionsByLevel: byLevel(gr.actions),
      conditional: false,
    },
  ];
}

/** The node a grant's scope lands on: the account, a resource, or a resource pattern. */
export function scopeNode(g: GraphBuilder, scope: string, account: AccountRef): string {
  const kind = scopeKind(scope);
  if (kind === 'account') return account.accountNode;
  const id = kind === 'pattern' ? patternNodeId(scope, account.accountId) : scope;
  if (g.nodes.has(id)) return id;
  if (kind === 'resource') {
    g.node({
      id,
      kind: 'Resource',
      name: scope.split(':').slice(5).join(':') || scope,
      type: resourceTypeOfArn(scope),
      props: { inventoried: false },
    });
  } else {
    // `props.pattern` holds the text: the id may carry the account prefix
    g.node({
      id,
      kind: 'Resource',
      name: scope,
      type: 'aws:resource-pattern',
      props: { pattern: scope, accountId: account.accountId },
    });
  }
  if (accountOfArn(scope) === account.accountId) {
    g.edge({ kind: 'CONTAINS', from: account.accountNode, to: id, via: null, props: {} });
  }
  return id;
}

interface ActionSummary {
  ids: string[];
  levels: AccessLevel[];
}

/**
 * Sorted action ids and access levels of a grant's action list. Grants of principals that
 * share policies share their action list (see grants.ts), so this is computed once per list
 * and scope service, and the edges share the resulting arrays: treat them as read-only.
 */
const summaries = new WeakMap<ActionCatalog, WeakMap<readonly ActionInfo[], Map<string, ActionSummary>>>();

function summaryOf(
  catalog: ActionCatalog,
  actions: readonly ActionInfo[],
  resourceService: string | null,
  resourceType: string | undefined,
): ActionSummary {
  let byList = summaries.get(catalog);
  if (!byList) {
    byList = new WeakMap();
    summaries.set(catalog, byList);
  }
  let byService = byList.get(actions);
  if (!byService) {
    byService = new Map();
    byList.set(actions, byService);
  }
  const key = `${catalog.generation}:${resourceService ?? ''}:${resourceType ?? ''}`;
  let out = byService.get(key);
  if (!out) {
    const levels: AccessLevel[] = [...new Set(actions.map((a) => a.level))];
    if (catalog.coversAService(actions, resourceService, resourceType)) levels.push('admin');
    out = { ids: actions.map((a) => a.id).sort(), levels: levels.sort() };
    byService.set(key, out);
  }
  return out;
}
