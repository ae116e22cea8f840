/**
 * RCPs govern only some services (AWS Organizations, "Resource control policies": the list of
 * supported services): an RCP Deny of `*` still leaves IAM, EC2, Lambda … untouched. One
 * place for that list: the request evaluator (escalation/authority.ts) and grant computation.
 */
import type { ActionCatalog } from '../action-catalog.js';
import type { Statement } from './policy.js';

export const RCP_SERVICES: ReadonlySet<string> = new Set(['s3', 'sts', 'kms', 'sqs', 'secretsmanager']);

/**
 * An RCP Deny statement narrowed to the actions RCPs govern: its Action/NotAction expanded
 * through the catalog and kept for RCP services only, as an explicit Action list (the raw
 * statement is kept for explanations). Null when it names no such action.
 */
export function rcpScoped(st: Statement, catalog: ActionCatalog): Statement | null {
  const ids = catalog
    .expand(st.action, st.notAction)
    .map((a) => a.id)
    .filter((id) => RCP_SERVICES.has(id.slice(0, id.indexOf(':'))));
  if (ids.length === 0) return null;
  return { ...st, action: ids, notAction: null };
}
