/**
 * "Administrator of the account", as a node paths can reach.
 *
 * Self-escalation (a principal rewriting its own policies, or those of a principal it can
 * become) gains whatever the attacker writes: `Allow * on *`, still subject to what binds the
 * principal whose policies are rewritten: the organization's SCPs and RCPs and, when it has
 * one, its permissions boundary. That outcome is a synthetic node, kind `Role`,
 * `props.synthetic: true`:
 * - `aws:account-admin:<accountId>` for principals without a boundary (one per account);
 * - `aws:account-admin:<accountId>/bounded-by/<boundary policy ARN>` when the rewritten
 *   principal has a boundary (escalation cannot pass it).
 * Its HAS_ACCESS edges are the grants of `Allow *` on `*` under those restrictions, computed like
 * any principal's (grants.ts), so `actions` are expanded and lowercase as who-can filters
 * expect (a compact `*` would match nothing). `who-can` on any resource of the account then
 * returns the escalating principal with the path
 *   P -CAN_ESCALATE(technique)-> admin node -HAS_ACCESS-> Account -CONTAINS-> resource.
 *
 * `adminEquivalent: true` marks real grants (and the node's own, when nothing narrows it): a
 * HAS_ACCESS edge that, after denies, boundary and SCPs, still allows every action AWS defines
 * on the whole account, unconditionally and without exceptions.
 */
import type { GraphEdgeOf } from '../../../graph/model.js';
import type { ActionCatalog } from '../action-catalog.js';
import { emitAccessEdge } from '../emit-access.js';
import { parsePolicy } from '../eval/policy.js';
import { computeGrants, type PolicyAttachment, type Restrictions } from '../grants.js';
import type { GraphBuilder } from '../graph-builder.js';

export const adminNodeId = (accountId: string, boundary?: string | null) =>
  boundary ? `aws:account-admin:${accountId}/bounded-by/${boundary}` : `aws:account-admin:${accountId}`;

const EVERYTHING = parsePolicy(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  'identity',
);

export interface AdminScope {
  accountId: string;
  accountNode: string;
  catalog: ActionCatalog;
  now: Date;
  orgId: string | null | undefined;
  /** SCPs and RCP denies of the account (the boundary is per node) */
  restrictions: Omit<Restrictions, 'boundary'>;
}

export function addAdminNode(g: GraphBuilder, scope: AdminScope, boundary: PolicyAttachment | null): string {
  const id = adminNodeId(scope.accountId, boundary?.policyId);
  if (g.nodes.has(id)) return id;
  g.node({
    id,
    kind: 'Role',
    name: boundary
      ? `Administrator of account ${scope.accountId} within boundary ${boundary.label} (reachable by escalation)`
      : `Administrator of account ${scope.accountId} (reachable by escalation)`,
    type: 'aws:account-admin',
    props: { synthetic: true, accountId: scope.accountId, permissionsBoundary: boundary?.policyId ?? null },
  });
  const att: PolicyAttachment = {
    policyId: id,
    label: 'Full control gained by privilege escalation',
    policy: EVERYTHING,
  };
  const grants = computeGrants(
    { kind: 'group-member', arn: id, accountId: scope.accountId, orgId: scope.orgId },
    [att],
    { ...scope.restrictions, boundary },
    scope.catalog,
    scope.now,
  );
  const account = { accountNode: scope.accountNode, accountId: scope.accountId };
  for (const gr of grants) emitAccessEdge(g, scope.catalog, account, id, gr);
  markAdminEquivalent(g, scope.catalog, scope.accountNode, id);
  return id;
}

/**
 * Flag every HAS_ACCESS edge on the account (of one holder, when given) that grants all
 * actions unconditionally, and return the holders. Needs the catalog to know every service:
 * with only some loaded, "all loaded actions" is not "all actions".
 */
export function markAdminEquivalent(
  g: GraphBuilder,
  catalog: ActionCatalog,
  accountNode: string,
  holder?: string,
): Set<string> {
  const holders = new Set<string>();
  if (!catalog.hasAllServices()) return holders;
  const all = catalog.expand(['*'], null).length;
  for (const e of g.edges.values()) {
    if (e.kind !== 'HAS_ACCESS' || e.to !== accountNode || (holder && e.from !== holder)) continue;
    const p = (e as GraphEdgeOf<'HAS_ACCESS'>).props;
    if (p.conditional || p.exceptions || p.notResources || p.actions.length < all) continue;
    p.adminEquivalent = true;
    holders.add(e.from);
  }
  return holders;
}
