import { describe, expect, it } from 'vitest';
import { ErrorLog, errorCode, noteOperation, sortedErrors } from './collection-errors.js';

describe('ErrorLog', () => {
  it('records a failed call with its code and goes on', async () => {
    const log = new ErrorLog();
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
    const out = await log.attempt({ service: 's3', operation: 'list', region: 'eu-west-1' }, async () => {
      throw denied;
    });
    expect(out).toBeUndefined();
    expect(log.entries).toEqual([
      {
        service: 's3',
        operation: 'list',
        region: 'eu-west-1',
        code: 'AccessDenied',
        message: 'not authorized',
      },
    ]);
  });

  it('names the exact operation noted where the call failed', () => {
    const log = new ErrorLog();
    const err = new Error('boom');
    noteOperation(err, 'GetBucketPolicy');
    noteOperation(err, 'outer step'); // the innermost note wins
    log.record({ service: 's3', operation: 'list' }, err, 'arn:aws:s3:::b');
    expect(log.entries[0]).toMatchObject({ operation: 'GetBucketPolicy', message: 'arn:aws:s3:::b: boom' });
    expect(log.entries[0]).not.toHaveProperty('code');
  });

  it('returns the value of a successful call and records nothing', async () => {
    const log = new ErrorLog();
    expect(await log.attempt({ service: 'x', operation: 'y' }, async () => 7)).toBe(7);
    expect(log.entries).toEqual([]);
  });

  it('reads codes the way AWS, Google and Azure SDKs carry them', () => {
    expect(errorCode(Object.assign(new Error(), { name: 'ThrottlingException' }))).toBe(
      'ThrottlingException',
    );
    expect(errorCode({ code: 403 })).toBe('403');
    expect(errorCode({ code: 'AuthorizationFailed' })).toBe('AuthorizationFailed');
    expect(errorCode(new Error('plain'))).toBeUndefined();
    expect(errorCode('text')).toBeUndefined();
  });

  it('sorts errors into one fixed order', () => {
    const a = { service: 'sqs', operation: 'ListQueues', region: 'us-east-1', message: 'm' };
    const b = { service: 'sqs', operation: 'ListQueues', region: 'eu-west-1', message: 'm' };
    const c = { service: 'kms', operation: 'ListKeys', message: 'm' };
    expect(sortedErrors([a, b, c])).toEqual([c, b, a]);
  });
});
