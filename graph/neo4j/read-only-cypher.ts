/**
 * Analysts' own Cypher, made safe to run: the one place a user's text becomes query text,
 * by design (the `cypher` API field, analysts only, Neo4j store only). Three fences:
 * 1. EXPLAIN first: the planner must classify it read-only (queryType 'r') and its plan
 *    may hold no procedure call or LOAD CSV (both can read or change things a read
 *    transaction does not stop: server config, local files).
 * 2. It runs in a READ transaction with the server-side timeout.
 * 3. At most maxRows rows are read; the rest is discarded.
 */
import neo4j, { type Session } from 'neo4j-driver';
import type { JsonValue } from '../model.js';
import { StoreError } from '../store.js';

export const MAX_QUERY_CHARS = 10_000;
const FORBIDDEN_OPERATORS = /ProcedureCall|LoadCSV|Create|Delete|Merge|Set|Remove|Foreach|Load/i;

interface PlanNode {
  operatorType: string;
  children: PlanNode[];
}

function operators(plan: PlanNode | false | undefined): string[] {
  if (!plan) return [];
  return [plan.operatorType, ...plan.children.flatMap((c) => operators(c))];
}

/** Neo4j values → JSON (integers as numbers when safe, else strings; nodes and relationships as maps). */
export function toJson(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  if (neo4j.isInt(v))
    return neo4j.integer.inSafeRange(v) ? neo4j.integer.toNumber(v) : neo4j.integer.toString(v);
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof neo4j.types.Node) return { labels: v.labels, properties: toJson(v.properties) };
  if (v instanceof neo4j.types.Relationship) return { type: v.type, properties: toJson(v.properties) };
  if (v instanceof neo4j.types.Path)
    return {
      segments: v.segments.map((s) => ({
        start: toJson(s.start),
        relationship: toJson(s.relationship),
        end: toJson(s.end),
      })),
    };
  if (
    typeof v === 'object' &&
    typeof (v as { toString?: unknown }).toString === 'function' &&
    v.constructor !== Object
  ) {
    return String(v); // temporal and spatial values
  }
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toJson(x)]));
}

function classify(err: unknown): never {
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  if (err instanceof StoreError) throw err;
  if (/TransactionTimedOut|Terminated|TransactionTimedOutClientConfiguration/i.test(code)) {
    throw new StoreError('the query ran out of time; narrow it or add a LIMIT', 'TIMEOUT');
  }
  if (/ForbiddenDueToTransactionType|WriteOnReadOnlyAccessDbException|AccessMode|Forbidden/i.test(code)) {
    throw new StoreError('only read-only Cypher is allowed here', 'FORBIDDEN');
  }
  if (code.startsWith('Neo.ClientError'))
    throw new StoreError(`Cypher error: ${e.message ?? code}`, 'BAD_INPUT');
  throw err;
}

export async function runReadOnlyCypher(
  session: Session,
  query: string,
  params: Record<string, unknown>,
  options: { timeoutMs: number; maxRows: number },
): Promise<{ columns: string[]; rows: JsonValue[][]; truncated: boolean }> {
  if (query.length > MAX_QUERY_CHARS)
    throw new StoreError(`query: at most ${MAX_QUERY_CHARS} characters`, 'BAD_INPUT');
  if (/^\s*(EXPLAIN|PROFILE)\b/i.test(query))
    throw new StoreError('send the query without EXPLAIN or PROFILE', 'BAD_INPUT');
  try {
    const explained = await session.executeRead((tx) => tx.run(`EXPLAIN ${query}`, params), {
      timeout: options.timeoutMs,
    });
    const summary = explained.summary;
    const ops = operators(summary.plan as PlanNode | false);
    if (summary.queryType !== 'r' || ops.some((o) => FORBIDDEN_OPERATORS.test(o))) {
      throw new StoreError(
        'only read-only Cypher without procedure calls or LOAD CSV is allowed here',
        'FORBIDDEN',
      );
    }
    return await session.executeRead(
      async (tx) => {
        const result = tx.run(query, params);
        const keys = (await result.keys()) as string[];
        const rows: JsonValue[][] = [];
        let truncated = false;
        for await (const record of result) {
          if (rows.length === options.maxRows) {
            truncated = true;
            break;
          }
          rows.push(keys.map((k) => toJson(record.get(k))));
        }
        return { columns: keys, rows, truncated };
      },
      { timeout: options.timeoutMs },
    );
  } catch (err) {
    classify(err);
  } finally {
    await session.close();
  }
}
