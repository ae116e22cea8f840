import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorLog } from '../common/collection-errors.js';
import { AwsContext, ClientPool, DEFAULT_RETRY } from './context.js';
import { assumedRoleProvider } from './credentials.js';

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

const ctx = () =>
  new AwsContext(
    '111122223333',
    'aws',
    new ClientPool({ accessKeyId: 'BASEKEY', secretAccessKey: 'base' }, DEFAULT_RETRY),
    new ErrorLog(),
    { ...DEFAULT_RETRY, sleep: async () => {} },
  );

describe('assumed role credentials', () => {
  it('assumes once, reuses the session, and assumes again near its expiry', async () => {
    let clock = Date.parse('2026-11-29T12:00:00Z');
    let n = 0;
    sts.on(AssumeRoleCommand).callsFake(() => {
      n++;
      return {
        Credentials: {
          AccessKeyId: `SESSION${n}`,
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: new Date(clock + 3600_000),
        },
      };
    });
    const provider = assumedRoleProvider(
      ctx(),
      'us-east-1',
      'arn:aws:iam::123456789012:role/R',
      'ext-1',
      'sess',
      () => clock,
    );
    expect((await provider()).accessKeyId).toBe('SESSION1');
    clock += 30 * 60_000;
    expect((await provider()).accessKeyId).toBe('SESSION1');
    clock += 27 * 60_000; // three minutes left: inside the refresh margin
    expect((await provider()).accessKeyId).toBe('SESSION2');
    const input = sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input;
    expect(input).toEqual({
      RoleArn: 'arn:aws:iam::123456789012:role/R',
      RoleSessionName: 'sess',
      ExternalId: 'ext-1',
    });
  });

  it('shares one AssumeRole among concurrent callers', async () => {
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'K',
        SecretAccessKey: 's',
        SessionToken: 't',
        Expiration: new Date(Date.now() + 3600_000),
      },
    });
    const provider = assumedRoleProvider(
      ctx(),
      'us-east-1',
      'arn:aws:iam::123456789012:role/R',
      undefined,
      'sess',
    );
    await Promise.all([provider(), provider(), provider()]);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).not.toHaveProperty('ExternalId');
  });

  it('fails when AssumeRole is denied', async () => {
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const provider = assumedRoleProvider(
      ctx(),
      'us-east-1',
      'arn:aws:iam::123456789012:role/R',
      undefined,
      'sess',
    );
    await expect(provider()).rejects.toThrow('not authorized');
  });
});
