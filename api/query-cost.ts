/**
 * Query cost limit, checked once the operation is known and its variables are at hand.
 *
 * graphql-armor's cost rule runs at validation, before variables exist, so it multiplies by
 * literal `first` arguments only: `findings(first: $n)` counted as one finding whatever `$n`
 * was, and a depth factor compounding per level rejected honest pages of explained paths
 * (100 findings with their hops) while letting variable-sized ones through. Here the cost is
 * linear in what the server really produces:
 *
 * - every field selected costs 1 per time it is produced;
 * - a field with a page-size argument (`first`, `limit`, `k`) produces its selection that
 *   many times: the literal, else the variable's value, else the schema's default — so a
 *   variable cannot make a page look small;
 * - a list without a size argument (a path's hops, the nodes along it) is counted as
 *   UNSIZED_LIST items per level of list nesting — except the first list level right under
 *   a sized field that is not a list itself (a connection's `edges`, a subgraph's `nodes`):
 *   the page size already counts those.
 */
// Only types, GraphQLError and Kind (plain strings) come from graphql here: the schema
// object is Apollo's, and graphql's type predicates refuse one built by another copy of the
// module (ESM vs CommonJS), so type shapes are read structurally below.
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** Arguments that say how many items a field produces. */
const SIZE_ARGS = ['first', 'limit', 'k'];
/** Assumed length of a list the client cannot size: a path's hops are usually a handful. */
export const UNSIZED_LIST = 5;

/** `[[Edge!]!]!` → 2: list nesting, read from the type's SDL spelling. */
const listDepth = (type: GraphQLOutputType) => String(type).split('[').length - 1;

/** `[Edge!]!` → the Edge type. */
const namedType = (schema: GraphQLSchema, type: GraphQLOutputType) =>
  schema.getType(String(type).replace(/[[\]!]/g, ''));

/** An int argument value: a literal or a variable's value; anything else is unknown. */
function intValue(node: ValueNode, variables: Record<string, unknown>): number | undefined {
  if (node.kind === Kind.INT) return Number.parseInt(node.value, 10);
  if (node.kind === Kind.VARIABLE) {
    const v = variables[node.name.value];
    return typeof v === 'number' ? v : undefined;
  }
  return undefined;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** How many items the field produces per parent, from its size argument. */
function sizeOf(
  field: GraphQLField<unknown, unknown>,
  args: ReadonlyArray<{ name: { value: string }; value: ValueNode }>,
  w: Walk,
): number | null {
  for (const name of SIZE_ARGS) {
    const def = field.args.find((a) => a.name === name);
    if (!def) continue;
    const given = args.find((a) => a.name.value === name);
    let v: unknown = def.defaultValue;
    if (given) {
      // a variable left out falls back to the default; nonsense is rejected later by the resolver
      const parsed = intValue(given.value, w.variables);
      if (parsed !== undefined) v = parsed;
    }
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 1;
  }
  return null;
}

/** `sizedAbove`: the enclosing field's size argument already counts the next list level. */
function selectionCost(
  set: SelectionSetNode,
  parent: GraphQLNamedType | null | undefined,
  w: Walk,
  sizedAbove = false,
): number {
  let total = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.INLINE_FRAGMENT) {
      const on = sel.typeCondition ? (w.schema.getType(sel.typeCondition.name.value) ?? parent) : parent;
      total += selectionCost(sel.selectionSet, on, w, sizedAbove);
      continue;
    }
    if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const frag = w.fragments.get(sel.name.value);
      const on = frag ? w.schema.getType(frag.typeCondition.name.value) : null;
      if (frag && on) total += selectionCost(frag.selectionSet, on, w, sizedAbove);
      continue;
    }
    const fields = parent && 'getFields' in parent ? parent.getFields() : null;
    const field = fields?.[sel.name.value] as GraphQLField<unknown, unknown> | undefined;
    if (sel.name.value.startsWith('__') || !field) {
      total += 1;
      continue;
    }
    const size = sizeOf(field, sel.arguments ?? [], w);
    const lists = listDepth(field.type);
    const times = size ?? UNSIZED_LIST ** (sizedAbove && lists > 0 ? lists - 1 : lists);
    const inner = sel.selectionSet
      ? selectionCost(sel.selectionSet, namedType(w.schema, field.type), w, size !== null && lists === 0)
      : 0;
    total += times * (1 + inner);
  }
  return total;
}

/** The estimated cost of running `operation` with `variables`. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): number {
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) return 0;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return selectionCost(operation.selectionSet, root, { schema, fragments, variables });
}

/** An Apollo Server plugin refusing operations whose estimated cost exceeds `maxCost`. */
export function costLimitPlugin(maxCost: number) {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(ctx: {
          schema: GraphQLSchema;
          document: DocumentNode;
          operation: OperationDefinitionNode;
          request: { variables?: Record<string, unknown> };
        }) {
          const cost = operationCost(ctx.schema, ctx.document, ctx.operation, ctx.request.variables ?? {});
          if (cost > maxCost) {
            throw new GraphQLError(
              `query too costly: it could produce about ${Math.round(cost).toLocaleString('en-US')} values, over the limit of ${maxCost.toLocaleString('en-US')}; ask for smaller pages (first) or fewer nested fields`,
              { extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost, http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
