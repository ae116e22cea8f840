import { describe, expect, it } from 'vitest';
import { bucketRegion } from './services/s3.js';
import { isAwsThrottling } from './throttling.js';

const err = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error('x'), { name, ...extra });

describe('AWS throttling errors', () => {
  it('recognises the services’ throttling codes, SDK-classified throttling and HTTP 429', () => {
    for (const name of [
      'Throttling',
      'ThrottlingException',
      'RequestLimitExceeded',
      'SlowDown',
      'TooManyRequestsException',
    ])
      expect(isAwsThrottling(err(name))).toBe(true);
    expect(isAwsThrottling(err('Unknown', { $retryable: { throttling: true } }))).toBe(true);
    expect(isAwsThrottling(err('Unknown', { $metadata: { httpStatusCode: 429 } }))).toBe(true);
  });

  it('does not retry denials, missing resources or other failures', () => {
    for (const name of ['AccessDenied', 'AccessDeniedException', 'NoSuchBucketPolicy', 'ValidationException'])
      expect(isAwsThrottling(err(name))).toBe(false);
    expect(isAwsThrottling(err('Unknown', { $retryable: {} }))).toBe(false);
    expect(isAwsThrottling(null)).toBe(false);
  });
});

describe('S3 bucket regions', () => {
  it('maps GetBucketLocation’s legacy answers', () => {
    expect(bucketRegion(undefined)).toBe('us-east-1');
    expect(bucketRegion('')).toBe('us-east-1');
    expect(bucketRegion('EU')).toBe('eu-west-1');
    expect(bucketRegion('ap-south-1')).toBe('ap-south-1');
  });
});
