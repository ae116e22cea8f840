import { describe, expect, it } from 'vitest';
import { parseAccountList, roleArnResolver, TargetOptionError } from './targets.js';

describe('account targets', () => {
  it('parses and de-duplicates account lists', () => {
    expect(parseAccountList(' 111122223333,123456789012,111122223333 ')).toEqual([
      '111122223333',
      '123456789012',
    ]);
    expect(() => parseAccountList('12345')).toThrow(TargetOptionError);
    expect(() => parseAccountList(',')).toThrow(/at least one/);
  });

  it('builds role ARNs from a role name in the caller partition, or from a template', () => {
    expect(roleArnResolver({ roleName: 'Auditor' }, 'aws-us-gov')?.('111122223333')).toBe(
      'arn:aws-us-gov:iam::111122223333:role/Auditor',
    );
    expect(roleArnResolver({ roleName: 'security/Auditor' }, 'aws')?.('111122223333')).toBe(
      'arn:aws:iam::111122223333:role/security/Auditor',
    );
    const t = roleArnResolver({ roleArnTemplate: 'arn:aws:iam::{account}:role/ops/Reader' }, 'aws');
    expect(t?.('123456789012')).toBe('arn:aws:iam::123456789012:role/ops/Reader');
    expect(roleArnResolver({}, 'aws')).toBeUndefined();
  });

  it('rejects contradictory or malformed options', () => {
    expect(() =>
      roleArnResolver({ roleName: 'A', roleArnTemplate: 'arn:aws:iam::{account}:role/A' }, 'aws'),
    ).toThrow(/not both/);
    expect(() => roleArnResolver({ accounts: ['111122223333'] }, 'aws')).toThrow(/needs --role-name/);
    expect(() => roleArnResolver({ externalId: 'x' }, 'aws')).toThrow(/--external-id needs/);
    expect(() => roleArnResolver({ roleArnTemplate: 'arn:aws:iam::111122223333:role/A' }, 'aws')).toThrow(
      /\{account\}/,
    );
    expect(() => roleArnResolver({ roleArnTemplate: 'arn:aws:s3:::{account}' }, 'aws')).toThrow(/role ARN/);
    expect(() => roleArnResolver({ roleName: 'bad name' }, 'aws')).toThrow(/not an IAM role name/);
  });
});
