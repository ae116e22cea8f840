/**
 * Access levels as users ask for them (`--level read|write|admin`) mapped to the levels an
 * edge must carry. Levels are not a ladder in cloud IAM (s3:PutObject does not let you
 * read), so each question matches the levels that answer it: `write` includes
 * `permissions` (changing who has access is a write), and `admin` is the synthetic level
 * ingesters add, beside the concrete ones, to grants of full control (`*`, `service:*`,
 * Owner roles).
 */
import type { AccessLevel } from './model.js';

export const LEVEL_QUERIES = ['read', 'write', 'admin'] as const;
export type LevelQuery = (typeof LEVEL_QUERIES)[number];

const ANSWERED_BY: Record<LevelQuery, AccessLevel[]> = {
  read: ['read'],
  write: ['write', 'permissions'],
  admin: ['admin'],
};

export function levelsFor(level: LevelQuery): AccessLevel[] {
  return [...ANSWERED_BY[level]];
}

export const isLevelQuery = (v: string): v is LevelQuery => (LEVEL_QUERIES as readonly string[]).includes(v);
