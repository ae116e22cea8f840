/** The GraphQL client: same-origin `/graphql`, Bearer token, typed results. */

export type NodeKind = string;
export type EdgeKind =
  | 'MEMBER_OF'
  | 'CAN_ASSUME'
  | 'CAN_ESCALATE'
  | 'HAS_ACCESS'
  | 'CONTAINS'
  | 'ATTACHED_TO'
  | 'RUNS_AS';

export interface GNode {
  id: string;
  cloud: string;
  kind: NodeKind;
  name: string;
  type: string | null;
  source: string;
  placeholder?: boolean;
  props?: Record<string, unknown>;
}

export interface Via {
  ref: string;
  label: string;
  statement: string | null;
  excerpt: unknown;
}

export interface GEdge {
  id: string;
  kind: EdgeKind;
  from: string;
  to: string;
  source: string;
  via: Via | null;
  actions: string[] | null;
  levels: string[] | null;
  conditional: boolean;
  conditions: unknown;
  technique: string | null;
}

export interface AccessAnswer {
  node: GNode;
  depth: number;
  actions: string[];
  conditional: boolean;
  path: GEdge[];
}

export interface AccessPage {
  edges: { cursor: string; node: AccessAnswer }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
  truncated: boolean;
  truncatedBy: string[];
  known: boolean;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** One hop of a finding's path; the API gives hops no id of their own. */
export interface FindingHop {
  from: string;
  to: string;
  edge: EdgeKind;
  via: Via | null;
  conditional: boolean;
  actions: string[] | null;
  technique: string | null;
}

/** A finding as the list shows it (light: the list may hold thousands). */
export interface FindingSummary {
  id: string;
  kind: string;
  severity: Severity;
  title: string;
  technique: string | null;
  conditional: boolean;
  principal: Pick<GNode, 'id' | 'kind' | 'name'> | null;
  target: Pick<GNode, 'id' | 'kind' | 'name'> | null;
}

/** A finding with everything the detail panel and its path graph need. */
export interface Finding extends FindingSummary {
  remediation: string;
  details: Record<string, unknown> | null;
  path: FindingHop[];
  pathNodes: GNode[];
}

export interface FindingPage<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
  truncated: boolean;
  notes: string[];
}

export class AuthError extends Error {}
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'accessgraph.token';
const ROLE_KEY = 'accessgraph.role';
const EXPIRES_KEY = 'accessgraph.expires';

/**
 * Where the token lives. Login-link sessions expire on the server, so they go to localStorage
 * (deep links opened in a new tab stay signed in) with their expiry; a pasted API token stays
 * in this tab (sessionStorage) unless the user asks to be remembered.
 */
export const session = {
  token(): string | null {
    const exp = localStorage.getItem(EXPIRES_KEY);
    if (exp && Date.parse(exp) <= Date.now()) session.clear();
    return sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY);
  },
  role: (): string | null => sessionStorage.getItem(ROLE_KEY) ?? localStorage.getItem(ROLE_KEY),
  save(token: string, role: string | null, remember: boolean, expiresAt?: string | null) {
    session.clear();
    const store = remember ? localStorage : sessionStorage;
    store.setItem(TOKEN_KEY, token);
    if (role) store.setItem(ROLE_KEY, role);
    if (remember && expiresAt) localStorage.setItem(EXPIRES_KEY, expiresAt);
  },
  clear() {
    for (const s of [sessionStorage, localStorage]) {
      s.removeItem(TOKEN_KEY);
      s.removeItem(ROLE_KEY);
    }
    localStorage.removeItem(EXPIRES_KEY);
  },
};

let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  signal?: AbortSignal,
): Promise<T> {
  const token = session.token();
  if (!token) {
    onUnauthorized();
    throw new AuthError('not signed in');
  }
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError('cannot reach the accessgraph server; is `accessgraph serve` running?', 'NETWORK');
  }
  if (res.status === 401) {
    session.clear();
    onUnauthorized();
    throw new AuthError('your session has ended');
  }
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new ApiError(`the server answered ${res.status} without JSON`, 'HTTP');
  }
  if (body.errors?.length) {
    const e = body.errors[0]!;
    if (e.extensions?.code === 'UNAUTHENTICATED') {
      session.clear();
      onUnauthorized();
      throw new AuthError(e.message);
    }
    throw new ApiError(e.message, e.extensions?.code);
  }
  if (!body.data) throw new ApiError(`the server answered ${res.status} without data`, 'HTTP');
  return body.data;
}

export async function redeemLoginCode(
  code: string,
): Promise<{ token: string; role: string; expiresAt: string | null }> {
  const res = await fetch('/auth/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  const body = (await res.json().catch(() => ({}))) as {
    token?: string;
    role?: string;
    expiresAt?: string;
    error?: string;
  };
  if (!res.ok || !body.token) throw new ApiError(body.error ?? `login failed (${res.status})`, 'LOGIN');
  return { token: body.token, role: body.role ?? 'viewer', expiresAt: body.expiresAt ?? null };
}

export const NODE_FIELDS = 'id cloud kind name type source placeholder';
export const EDGE_FIELDS =
  'id kind from to source actions levels conditional conditions technique via { ref label statement excerpt }';

export const Q = {
  me: 'query Me { me { role tokenName store } }',
  search: `query Search($text: String!, $first: Int) { search(text: $text, first: $first) { rank node { ${NODE_FIELDS} } } }`,
  node: `query OneNode($id: ID!) { node(id: $id) { ${NODE_FIELDS} props } }`,
  whoCan: `query WhoCan($id: ID!, $action: String, $level: AccessLevelQuery, $first: Int, $after: String, $maxDepth: Int) {
    whoCan(resource: $id, action: $action, level: $level, first: $first, after: $after, maxDepth: $maxDepth) {
      totalCount truncated truncatedBy known
      pageInfo { hasNextPage endCursor }
      edges { cursor node { depth actions conditional node { ${NODE_FIELDS} } path { ${EDGE_FIELDS} } } }
    } }`,
  canReach: `query CanReach($id: ID!, $action: String, $level: AccessLevelQuery, $first: Int, $after: String, $maxDepth: Int) {
    canReach(principal: $id, action: $action, level: $level, first: $first, after: $after, maxDepth: $maxDepth) {
      totalCount truncated truncatedBy known
      pageInfo { hasNextPage endCursor }
      edges { cursor node { depth actions conditional node { ${NODE_FIELDS} } path { ${EDGE_FIELDS} } } }
    } }`,
  paths: `query Paths($from: ID!, $to: ID!, $k: Int, $maxHops: Int) {
    paths(from: $from, to: $to, k: $k, maxHops: $maxHops) { truncated nodes { ${NODE_FIELDS} } paths { ${EDGE_FIELDS} } } }`,
  // page sizes are bounded by the server's query-cost limit: 200 light rows, 50 full findings
  findingsList: `query FindingList($node: ID, $first: Int, $after: String) {
    findings(node: $node, first: $first, after: $after) {
      totalCount truncated notes
      pageInfo { hasNextPage endCursor }
      edges { node { id kind severity title technique conditional principal { id kind name } target { id kind name } } }
    } }`,
  findingsFull: `query FindingFull($kinds: [FindingKind!], $node: ID, $first: Int, $after: String) {
    findings(kinds: $kinds, node: $node, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id kind severity title technique conditional remediation details
        principal { id kind name } target { id kind name }
        path { from to edge conditional actions technique via { ref label statement excerpt } }
        pathNodes { ${NODE_FIELDS} } } }
    } }`,
  findingCount: 'query FindingCount($node: ID) { findings(node: $node, first: 1) { totalCount } }',
  neighborhood: `query Hood($id: ID!, $depth: Int, $limit: Int) {
    neighborhood(node: $id, depth: $depth, limit: $limit) { truncated nodes { ${NODE_FIELDS} } edges { ${EDGE_FIELDS} } } }`,
};

export interface SearchHit {
  rank: number;
  node: GNode;
}

/** Looks up to `max` nodes by id, 20 per request (the server's alias limit). */
export async function fetchNodes(ids: string[], signal?: AbortSignal, max = 60): Promise<GNode[]> {
  const out: GNode[] = [];
  const list = ids.slice(0, max);
  for (let i = 0; i < list.length; i += 20) {
    const chunk = list.slice(i, i + 20);
    const vars: Record<string, string> = {};
    const decl = chunk.map((_, j) => `$i${j}: ID!`).join(', ');
    const body = chunk
      .map((id, j) => {
        vars[`i${j}`] = id;
        return `n${j}: node(id: $i${j}) { ${NODE_FIELDS} }`;
      })
      .join(' ');
    const d = await gql<Record<string, GNode | null>>(`query Nodes(${decl}) { ${body} }`, vars, signal);
    for (const n of Object.values(d)) if (n) out.push(n);
  }
  return out;
}
