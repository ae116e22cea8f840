/**
 * Path risk score, 0–100, from facts about one access path (docs/risk-scoring.md is the
 * user-facing description; keep the two in step). Pure: the facts are gathered elsewhere
 * (path-facts.ts), so the rules here can be checked exhaustively on hand-made inputs.
 *
 * Shape: points for what is at stake (target sensitivity, access gained) and how easily it
 * is reached (exposure, escalation, dormancy), then discounts for what makes the path less
 * likely to work (an undecided condition, more hops). Points and discounts only ever move
 * the score in one direction each, which is what the property tests pin down.
 */
import type { Severity } from '../graph/findings/types.js';
import type { Sensitivity } from './config.js';

export type TargetSensitivity = Sensitivity | 'unknown';
/** `assume` is a path that ends by becoming another identity rather than at a grant. */
export type AccessGained = 'admin' | 'write' | 'assume' | 'read' | 'list';
export type Exposure = 'public' | 'external' | 'cross-account' | 'internal';

export interface PathFacts {
  sensitivity: TargetSensitivity;
  access: AccessGained;
  exposure: Exposure;
  /** some hop abuses a permission to gain another principal (CAN_ESCALATE) */
  escalation: boolean;
  /** some hop is guarded by a condition that could not be decided at load time */
  conditional: boolean;
  /** number of edges from the principal to the target (≥ 1) */
  hops: number;
  /** the principal has not been used for the report's dormancy window */
  dormant: boolean;
}

export const SENSITIVITY_POINTS: Record<TargetSensitivity, number> = {
  critical: 40,
  high: 30,
  medium: 20,
  low: 10,
  unknown: 5,
};
export const ACCESS_POINTS: Record<AccessGained, number> = {
  admin: 30,
  write: 22,
  assume: 22,
  read: 15,
  list: 5,
};
export const EXPOSURE_POINTS: Record<Exposure, number> = {
  public: 20,
  external: 15,
  'cross-account': 10,
  internal: 0,
};
export const ESCALATION_POINTS = 10;
export const DORMANT_POINTS = 5;
export const CONDITIONAL_FACTOR = 0.7;
/** each hop after the first keeps this share of the score, down to LENGTH_FLOOR */
export const PER_HOP_FACTOR = 0.94;
export const LENGTH_FLOOR = 0.5;

/** Ordered from least to most severe, for property tests and comparisons. */
export const SENSITIVITY_ORDER: readonly TargetSensitivity[] = [
  'unknown',
  'low',
  'medium',
  'high',
  'critical',
];
export const ACCESS_ORDER: readonly AccessGained[] = ['list', 'read', 'write', 'admin'];
export const EXPOSURE_ORDER: readonly Exposure[] = ['internal', 'cross-account', 'external', 'public'];

export function lengthFactor(hops: number): number {
  const extra = Math.max(0, Math.floor(hops) - 1);
  return Math.max(LENGTH_FLOOR, PER_HOP_FACTOR ** extra);
}

export function scorePath(f: PathFacts): number {
  const points =
    SENSITIVITY_POINTS[f.sensitivity] +
    ACCESS_POINTS[f.access] +
    EXPOSURE_POINTS[f.exposure] +
    (f.escalation ? ESCALATION_POINTS : 0) +
    (f.dormant ? DORMANT_POINTS : 0);
  const discounted = points * (f.conditional ? CONDITIONAL_FACTOR : 1) * lengthFactor(f.hops);
  return Math.max(0, Math.min(100, Math.round(discounted)));
}

/** Severity bands over the score; lower bounds inclusive. */
export const BANDS: ReadonlyArray<{ severity: Severity; min: number }> = [
  { severity: 'critical', min: 80 },
  { severity: 'high', min: 60 },
  { severity: 'medium', min: 40 },
  { severity: 'low', min: 20 },
  { severity: 'info', min: 0 },
];

export function bandFor(score: number): Severity {
  for (const b of BANDS) if (score >= b.min) return b.severity;
  return 'info';
}
