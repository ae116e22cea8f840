import { describe, expect, it } from 'vitest';
import { knownIam, roleArnOf } from './known-iam.js';

const acct = { partition: 'aws', accountId: '111122223333' };
const known = knownIam({
  RoleDetailList: [
    {
      RoleName: 'etl',
      Arn: 'arn:aws:iam::111122223333:role/service-role/etl',
      InstanceProfileList: [
        { InstanceProfileName: 'etl', Arn: 'arn:aws:iam::111122223333:instance-profile/jobs/etl' },
      ],
    },
  ],
});

describe('known IAM', () => {
  it('maps role and instance profile names to their ARNs, paths included', () => {
    expect(known.rolesByName.get('etl')).toBe('arn:aws:iam::111122223333:role/service-role/etl');
    expect(known.instanceProfilesByName.get('etl')).toBe(
      'arn:aws:iam::111122223333:instance-profile/jobs/etl',
    );
    expect(known.instanceProfileRoles.get('arn:aws:iam::111122223333:instance-profile/jobs/etl')).toBe(
      'arn:aws:iam::111122223333:role/service-role/etl',
    );
  });

  it('resolves a role given by name, with or without its path; keeps ARNs; builds one for unknown names', () => {
    expect(roleArnOf('etl', known, acct)).toBe('arn:aws:iam::111122223333:role/service-role/etl');
    expect(roleArnOf('service-role/etl', known, acct)).toBe(
      'arn:aws:iam::111122223333:role/service-role/etl',
    );
    expect(roleArnOf('arn:aws:iam::999988887777:role/x', known, acct)).toBe(
      'arn:aws:iam::999988887777:role/x',
    );
    expect(roleArnOf('gone', known, acct)).toBe('arn:aws:iam::111122223333:role/gone');
  });
});
