/**
 * The findings contract (DESIGN.md, "findings --json"): what `accessgraph findings`, the
 * GraphQL `findings` query, the explorer's findings view and the path-risk reports share.
 */

import type { JsonObject } from '../model.js';
import type { Hop } from '../queries/access.js';

export const FINDING_KINDS = [
  'privilege-escalation',
  'admin-equivalent',
  'public-access',
  'cross-account-access',
  'external-trust',
  'dormant-access',
  'unused-permissions',
  'external-member',
  'default-service-account-admin',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
  /** stable across runs for the same (kind, principal, target, technique): reports diff on it */
  id: string;
  kind: FindingKind;
  severity: Severity;
  /** node id of the principal that holds the risky access (or the External node for public access) */
  principal: string;
  /** node id of what is reached: a resource, container, or the principal gained */
  target: string;
  /** stable technique id for privilege-escalation findings (docs/aws-escalation.md) */
  technique?: string;
  /** one line a human reads first */
  title: string;
  /** every hop from `principal` to `target`, each with the statement, binding or assignment behind it */
  path: Hop[];
  /** what to change, naming the statement or trust policy when there is one */
  remediation: string;
  /** true when any hop is guarded by a condition that could not be decided statically */
  conditional: boolean;
  /** kind-specific facts (days unused, external account id, unused actions, …) */
  details?: JsonObject;
}

export const isFindingKind = (v: unknown): v is FindingKind =>
  typeof v === 'string' && (FINDING_KINDS as readonly string[]).includes(v);
