/**
 * Options shared by who-can and can-reach, and their conversion into an AccessQuery.
 */
import { type Command, Option } from 'commander';
import { LEVEL_QUERIES, type LevelQuery } from '../../graph/levels.js';
import { isNodeKind, type NodeKind } from '../../graph/model.js';
import type { AccessQuery } from '../../graph/queries/access.js';
import { DEFAULT_LIMIT, DEFAULT_MAX_DEPTH } from '../../graph/queries/access.js';
import { parsePositiveInt, UsageError } from '../context.js';

export function addAccessOptions(cmd: Command): Command {
  return cmd
    .option('--action <action>', 'only paths that grant this action (e.g. s3:GetObject); case-insensitive')
    .addOption(
      new Option('--level <level>', 'only paths that grant this access level').choices([...LEVEL_QUERIES]),
    )
    .option('--kind <kinds>', 'only report these node kinds, comma-separated (e.g. User,Role)')
    .option('--max-depth <n>', `longest path followed, in hops (1-32)`, String(DEFAULT_MAX_DEPTH))
    .option('--limit <n>', 'most results returned', String(DEFAULT_LIMIT))
    .option('--timeout <ms>', 'give up after this many milliseconds', '30000');
}

interface RawAccessOptions {
  action?: string;
  level?: LevelQuery;
  kind?: string;
  maxDepth: string;
  limit: string;
  timeout: string;
}

export function toAccessQuery(o: RawAccessOptions): AccessQuery {
  if (
    o.action !== undefined &&
    !/^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/.test(o.action) &&
    !/^[a-z][\w.-]+$/i.test(o.action)
  ) {
    throw new UsageError(
      `--action ${JSON.stringify(o.action)} does not look like an action (service:Action)`,
    );
  }
  const q: AccessQuery = {
    maxDepth: parsePositiveInt('--max-depth', o.maxDepth, 32),
    limit: parsePositiveInt('--limit', o.limit, 1_000_000),
    timeoutMs: parsePositiveInt('--timeout', o.timeout, 600_000),
  };
  if (o.action) q.action = o.action;
  if (o.level) q.level = o.level;
  if (o.kind) {
    const kinds = o.kind
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    const bad = kinds.filter((k) => !isNodeKind(k));
    if (bad.length)
      throw new UsageError(
        `--kind: unknown kind ${bad.join(', ')} (kinds are case-sensitive, e.g. User,Role,Group)`,
      );
    q.kinds = kinds as NodeKind[];
  }
  return q;
}
