/**
 * The graph model: the single source of truth for node kinds, edge kinds and their
 * properties. Every ingester, store, query and renderer imports its vocabulary from here.
 *
 * Identity: a node's `id` is the cloud's own identifier (ARN, full resource name, Azure
 * resource ID, Entra object ID). An edge's `id` is deterministic (see `edgeId`) so that
 * reloading the same input produces the same edges.
 */

export const CLOUDS = ['aws', 'gcp', 'azure', 'generic'] as const;
export type Cloud = (typeof CLOUDS)[number];

export const PRINCIPAL_KINDS = [
  'User',
  'Group',
  'Role',
  'ServiceAccount',
  'ServicePrincipal',
  'ManagedIdentity',
  'External',
] as const;
export const CONTAINER_KINDS = [
  'Organization',
  'OrgUnit',
  'Folder',
  'ManagementGroup',
  'Account',
  'Project',
  'Subscription',
  'ResourceGroup',
] as const;
/** Policies, roles definitions, bindings and assignments: kept so every edge can point back to them. */
export const POLICY_KINDS = ['Policy', 'RoleDefinition', 'Binding', 'Assignment'] as const;
export const NODE_KINDS = [...PRINCIPAL_KINDS, ...CONTAINER_KINDS, 'Resource', ...POLICY_KINDS] as const;

export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];
export type ContainerKind = (typeof CONTAINER_KINDS)[number];
export type PolicyKind = (typeof POLICY_KINDS)[number];
export type NodeKind = (typeof NODE_KINDS)[number];

/**
 * Edge kinds. The first five are the ones paths travel over (DESIGN.md, path semantics);
 * the rest are informational and never part of an access path.
 */
export const EDGE_KINDS = [
  'MEMBER_OF',
  'CAN_ASSUME',
  'CAN_ESCALATE',
  'HAS_ACCESS',
  'CONTAINS',
  /** policy → principal or scope it is attached to / bound at */
  'ATTACHED_TO',
  /** compute resource → identity it runs as (EC2 instance profile role, function service account, …) */
  'RUNS_AS',
] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

/** Edges a principal travels to become another principal (before the final grant). */
export const PRINCIPAL_HOP_KINDS = [
  'MEMBER_OF',
  'CAN_ASSUME',
  'CAN_ESCALATE',
] as const satisfies readonly EdgeKind[];

export const ACCESS_LEVELS = ['list', 'read', 'write', 'tagging', 'permissions', 'admin'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Properties every node may carry beyond its identity; ingesters may add more. */
export interface NodeProps extends JsonObject {}

export interface GraphNode {
  id: string;
  cloud: Cloud;
  kind: NodeKind;
  name: string;
  /** The ingested source (one AWS account, GCP org, Azure tenant) that owns this node. */
  source: string;
  /** Resource type (`s3:bucket`, `storage.buckets`, `Microsoft.KeyVault/vaults`), policy type, … */
  type?: string;
  /** lastUsed, createdAt, tags, public, sensitivity, policy documents, … (JSON only). */
  props?: NodeProps;
}

/**
 * What created an edge: the policy, binding or assignment node (`ref`) and, where the
 * document has them, the statement inside it. The explorer and reports render this.
 */
export interface Via extends JsonObject {
  /** id of the Policy / RoleDefinition / Binding / Assignment node, or a descriptive key */
  ref: string;
  /** human label, e.g. "AdministratorAccess (managed policy)" */
  label: string;
  /** statement Sid or index inside the document, when it has statements */
  statement: string | number | null;
  /** the statement (or binding) itself, for display */
  excerpt: JsonValue;
}

export interface HasAccessProps extends JsonObject {
  /** Allowed actions, lowercase and fully expanded (no wildcards) so queries can match exactly. */
  actions: string[];
  levels: AccessLevel[];
  /** true when a condition that cannot be decided statically guards the grant */
  conditional: boolean;
  /** the undecided condition block(s), when conditional */
  conditions: JsonValue;
}
export interface CanAssumeProps extends JsonObject {
  conditional: boolean;
  conditions: JsonValue;
}
export interface CanEscalateProps extends JsonObject {
  technique: string;
  conditional: boolean;
  conditions: JsonValue;
}
export type EmptyProps = JsonObject;
export type MemberOfProps = JsonObject & {
  /**
   * true when the member's own restrictions (boundary, denies, conditions) change what the
   * group grants, so the ingester evaluated the group's policies for this member and put
   * the results on the member itself. Such a membership is shown but never travelled by
   * paths: travelling it would hand the member the group's unrestricted grants.
   */
  grantsMaterialized?: boolean;
};

export interface EdgePropsByKind {
  MEMBER_OF: MemberOfProps;
  CAN_ASSUME: CanAssumeProps;
  CAN_ESCALATE: CanEscalateProps;
  HAS_ACCESS: HasAccessProps;
  CONTAINS: EmptyProps;
  ATTACHED_TO: EmptyProps;
  RUNS_AS: EmptyProps;
}

export interface GraphEdgeOf<K extends EdgeKind> {
  id: string;
  kind: K;
  from: string;
  to: string;
  /** The ingested source that owns this edge. */
  source: string;
  via: Via | null;
  props: EdgePropsByKind[K];
}
export type GraphEdge = { [K in EdgeKind]: GraphEdgeOf<K> }[EdgeKind];

export const isNodeKind = (v: unknown): v is NodeKind =>
  typeof v === 'string' && (NODE_KINDS as readonly string[]).includes(v);
export const isEdgeKind = (v: unknown): v is EdgeKind =>
  typeof v === 'string' && (EDGE_KINDS as readonly string[]).includes(v);
export const isCloud = (v: unknown): v is Cloud =>
  typeof v === 'string' && (CLOUDS as readonly string[]).includes(v);
export const isPrincipalKind = (k: NodeKind): k is PrincipalKind =>
  (PRINCIPAL_KINDS as readonly string[]).includes(k);

/**
 * Boolean edge properties that findings scan for across the whole graph (e.g. every grant
 * that amounts to administrator of its scope). Stores keep them queryable without parsing
 * each edge's props; an ingester sets them as `props[flag] = true`.
 */
export const EDGE_FLAGS = ['adminEquivalent'] as const;
export type EdgeFlag = (typeof EDGE_FLAGS)[number];
export const isEdgeFlag = (v: unknown): v is EdgeFlag =>
  typeof v === 'string' && (EDGE_FLAGS as readonly string[]).includes(v);
export function edgeFlags(e: Pick<GraphEdge, 'props'>): EdgeFlag[] {
  const props = (e.props ?? {}) as Record<string, unknown>;
  return EDGE_FLAGS.filter((f) => props[f] === true);
}

/** Whether paths may travel an edge (see MemberOfProps.grantsMaterialized). */
export function isTraversable(e: Pick<GraphEdge, 'kind' | 'props'>): boolean {
  return !(e.kind === 'MEMBER_OF' && (e.props as MemberOfProps).grantsMaterialized === true);
}

/**
 * Deterministic edge id. `discriminator` separates parallel edges of the same kind between
 * the same nodes (e.g. two policies granting the same access): pass the via ref + statement.
 */
export function edgeId(kind: EdgeKind, from: string, to: string, discriminator = ''): string {
  return discriminator ? `${kind}|${from}|${to}|${discriminator}` : `${kind}|${from}|${to}`;
}
