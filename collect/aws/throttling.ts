/**
 * Which AWS errors mean "slow down". AWS services name throttling differently (IAM
 * `Throttling`, EC2 `RequestLimitExceeded`, S3 `SlowDown`, Organizations and Lambda
 * `TooManyRequestsException`, …); the SDK marks the ones it classified with
 * `$retryable.throttling`, and HTTP 429 is throttling everywhere.
 */
import { errorCode } from '../common/collection-errors.js';

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'RequestThrottled',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

export function isAwsThrottling(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };
  if (e.$retryable?.throttling === true) return true;
  if (e.$metadata?.httpStatusCode === 429) return true;
  const code = errorCode(err);
  return code !== undefined && THROTTLING_CODES.has(code);
}

/** Errors that mean "this thing does not exist / has no policy", not a failure. */
export function isAwsNotFound(err: unknown, ...codes: string[]): boolean {
  const code = errorCode(err);
  return code !== undefined && codes.includes(code);
}
