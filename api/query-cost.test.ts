/**
 * The query cost limit: the explorer's real queries at their page sizes pass, cost bombs
 * do not, and a page size given as a variable counts as much as the same literal.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, type OperationDefinitionNode, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../graph/embedded/sqlite-store.js';
import { packagePath } from '../lib/package-root.js';
import { DIFF_PAGE, ITEMS_PAGE, RQ, RUNS_PAGE } from '../web/src/report-queries.js';
import { TokenStore } from './auth/tokens.js';
import { operationCost } from './query-cost.js';
import { MAX_QUERY_COST, type RunningServer, startServer } from './server.js';

const schema = buildSchema(readFileSync(packagePath('api', 'schema.graphql'), 'utf8'));
const cost = (query: string, variables: Record<string, unknown> = {}) => {
  const doc = parse(query);
  return operationCost(schema, doc, doc.definitions[0] as OperationDefinitionNode, variables);
};

// the explorer's field sets (web/src/api.ts), at the sizes the explorer asks for
const NODE = 'id cloud kind name type source placeholder';
const EDGE =
  'id kind from to source actions levels conditional conditions technique via { ref label statement excerpt }';
const WHO_CAN = `query($id: ID!, $first: Int) { whoCan(resource: $id, first: $first) {
  totalCount truncated truncatedBy known pageInfo { hasNextPage endCursor }
  edges { cursor node { depth actions conditional node { ${NODE} } path { ${EDGE} } } } } }`;
const FINDINGS_FULL = `query($first: Int) { findings(first: $first) { pageInfo { hasNextPage endCursor }
  edges { node { id kind severity title technique conditional remediation details
    principal { id kind name } target { id kind name }
    path { from to edge conditional actions technique via { ref label statement excerpt } }
    pathNodes { ${NODE} } } } } }`;
const HOOD = `query($id: ID!, $limit: Int) { neighborhood(node: $id, limit: $limit) { truncated nodes { ${NODE} } edges { ${EDGE} } } }`;
const BOMB = (n: string) =>
  `{ whoCan(resource: "x", first: ${n}) { edges { node { node { policies(first: ${n}) { grants(first: ${n}) { id } } } } } } }`;

describe('query cost', () => {
  it("lets the explorer's queries through at their page sizes", () => {
    expect(cost(WHO_CAN, { id: 'x', first: 500 })).toBeLessThan(MAX_QUERY_COST);
    expect(cost(FINDINGS_FULL, { first: 100 })).toBeLessThan(MAX_QUERY_COST);
    expect(cost(FINDINGS_FULL, { first: 500 })).toBeLessThan(MAX_QUERY_COST);
    expect(cost(HOOD, { id: 'x', limit: 2000 })).toBeLessThan(MAX_QUERY_COST);
    expect(cost(RQ.runs, { first: RUNS_PAGE })).toBeLessThan(MAX_QUERY_COST / 10);
    expect(cost(RQ.runItems, { first: ITEMS_PAGE })).toBeLessThan(MAX_QUERY_COST / 10);
    expect(cost(RQ.diff, { first: DIFF_PAGE })).toBeLessThan(MAX_QUERY_COST / 10);
  });

  it('grows linearly with the page size, however it is given', () => {
    const literal = (n: number) =>
      cost(FINDINGS_FULL.replace('($first: Int)', '').replace('$first', String(n)));
    expect(literal(100)).toBeCloseTo(2 * literal(50), -2);
    expect(cost(FINDINGS_FULL, { first: 100 })).toBe(literal(100));
    // left out: the schema's default page size (100) counts
    expect(cost(FINDINGS_FULL)).toBe(literal(100));
  });

  it('rejects bombs, also when the sizes come in variables', () => {
    expect(cost(BOMB('1000'))).toBeGreaterThan(MAX_QUERY_COST * 1000);
    const viaVars = `query($n: Int) {${BOMB('$n').slice(1)}`;
    expect(cost(viaVars, { n: 1000 })).toBe(cost(BOMB('1000')));
  });
});

describe('query cost over HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accessgraph-cost-'));
  let store: EmbeddedStore;
  let tokens: TokenStore;
  let server: RunningServer;
  let token = '';
  beforeAll(async () => {
    store = await EmbeddedStore.open({ dataDir: join(dir, 'graph') });
    tokens = TokenStore.open(dir);
    token = tokens.create('viewer').token;
    server = await startServer({ store, tokens, host: '127.0.0.1', port: 0, log: () => undefined });
  });
  afterAll(async () => {
    await server.close();
    tokens.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        data?: unknown;
        errors?: Array<{ message: string; extensions?: { code?: string } }>;
      },
    };
  };

  it('answers 100 findings with their paths, and a full who-can page', async () => {
    const literal = await gql(FINDINGS_FULL.replace('($first: Int)', '').replace('$first', '100'));
    expect(literal.body.errors).toBeUndefined();
    expect((await gql(FINDINGS_FULL, { first: 100 })).body.errors).toBeUndefined();
    expect((await gql(WHO_CAN, { id: 'x', first: 500 })).body.errors).toBeUndefined();
  });

  it('refuses a bomb with a typed error, whether sizes are literal or variables', async () => {
    for (const r of [
      await gql(BOMB('1000')),
      await gql(`query($n: Int) {${BOMB('$n').slice(1)}`, { n: 1000 }),
    ]) {
      expect(r.status).toBe(400);
      expect(r.body.data ?? null).toBeNull();
      expect(r.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
      expect(r.body.errors?.[0]?.message).toMatch(/query too costly/);
    }
  });
});
