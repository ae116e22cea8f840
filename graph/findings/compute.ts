/**
 * Risk findings over whatever the store holds, computed only through the store's own
 * queries (scans, reach, edge lookups: Cypher on Neo4j), so both stores give the same
 * answer. Ingesters mark the raw facts (CAN_ESCALATE edges, admin-equivalent grants,
 * External nodes, last-used dates, guest and member properties, binding roles); this
 * module turns them into findings with a path.
 */
import type { GraphStore } from '../store.js';
import { adminFindings, adminGrants, administeredScopes } from './admin.js';
import { defaultServiceAccountFindings } from './default-service-accounts.js';
import { dormantFindings, unusedPermissionFindings } from './dormant.js';
import { escalationFindings } from './escalation.js';
import { exposureFindings } from './exposure.js';
import { externalMemberFindings } from './external-members.js';
import { NodeNames, severityRank } from './finding.js';
import { FINDING_KINDS, type Finding, type FindingKind, type Severity } from './types.js';

export interface FindingsOptions {
  kinds?: readonly FindingKind[];
  /** drop findings less severe than this */
  minSeverity?: Severity;
  /** a principal unused for more than this many days is dormant (default 90) */
  dormantDays?: number;
  /** the time dormancy is measured against (default: now) */
  now?: Date;
  /** longest path considered (default 8) */
  maxDepth?: number;
  /** per walk: most principals or resources followed (default 10000) */
  maxResults?: number;
  /** per walk (default 30 s) */
  timeoutMs?: number;
}

export interface FindingsResult {
  findings: Finding[];
  /** true when some walk hit a bound, so some findings may be missing */
  truncated: boolean;
  /** which walks were cut, for the user to narrow or raise bounds */
  notes: string[];
}

export const DEFAULT_DORMANT_DAYS = 90;

export async function findFindings(store: GraphStore, o: FindingsOptions = {}): Promise<FindingsResult> {
  const kinds = new Set(o.kinds?.length ? o.kinds : FINDING_KINDS);
  const bounds = {
    maxDepth: o.maxDepth ?? 8,
    maxResults: o.maxResults ?? 10_000,
    timeoutMs: o.timeoutMs ?? 30_000,
  };
  const notes: string[] = [];
  const truncated = (why: string) => {
    if (notes.length < 50) notes.push(`bounds reached: ${why}`);
  };
  const names = new NodeNames(store);
  const dormancy = {
    now: o.now ?? new Date(),
    days: o.dormantDays ?? DEFAULT_DORMANT_DAYS,
    bounds,
    truncated,
  };
  const out: Finding[] = [];

  if (kinds.has('admin-equivalent') || kinds.has('privilege-escalation')) {
    // escalation findings leave out principals that already administer the target's scope
    const admin = await adminGrants(store);
    const admins = await adminFindings(store, names, admin, bounds, truncated);
    if (kinds.has('admin-equivalent')) out.push(...admins);
    if (kinds.has('privilege-escalation')) {
      const administers = administeredScopes(admins);
      const ctx = { store, names, bounds, adminHolders: admin.holders, administers, truncated };
      out.push(...(await escalationFindings(ctx)));
    }
  }
  if (kinds.has('public-access') || kinds.has('cross-account-access') || kinds.has('external-trust')) {
    out.push(...(await exposureFindings(store, names)).filter((f) => kinds.has(f.kind)));
  }
  if (kinds.has('external-member'))
    out.push(...(await externalMemberFindings(store, names, bounds, truncated)));
  if (kinds.has('default-service-account-admin'))
    out.push(...(await defaultServiceAccountFindings(store, names)));
  if (kinds.has('dormant-access')) out.push(...(await dormantFindings(store, names, dormancy)));
  if (kinds.has('unused-permissions')) out.push(...(await unusedPermissionFindings(store, names, dormancy)));

  const floor = o.minSeverity ? severityRank(o.minSeverity) : Number.POSITIVE_INFINITY;
  const findings = out
    .filter((f) => severityRank(f.severity) <= floor)
    .sort(
      (a, b) =>
        severityRank(a.severity) - severityRank(b.severity) ||
        a.kind.localeCompare(b.kind) ||
        a.principal.localeCompare(b.principal) ||
        a.target.localeCompare(b.target) ||
        (a.technique ?? '').localeCompare(b.technique ?? ''),
    );
  return { findings, truncated: notes.length > 0, notes };
}

/** The findings alone (reports and other callers that do not show truncation themselves). */
export async function computeFindings(store: GraphStore, o: FindingsOptions = {}): Promise<Finding[]> {
  return (await findFindings(store, o)).findings;
}
