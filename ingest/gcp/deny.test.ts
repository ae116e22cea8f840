import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileRule,
  denyIdentitiesOf,
  denyPermissionMatcher,
  ruleAppliesTo,
  ruleDeniesPermission,
} from './deny.js';
import type { DenyRuleRec } from './inventory.js';

const rule = (r: Partial<DenyRuleRec>) =>
  compileRule('gcp:deny', 'deny', 0, 'gcp:projects/p', {
    deniedPrincipals: [],
    exceptionPrincipals: [],
    deniedPermissions: [],
    exceptionPermissions: [],
    denialCondition: null,
    raw: null,
    ...r,
  });
const subject = (...members: string[]) => ({
  identities: members.flatMap(denyIdentitiesOf),
  identified: true,
});

describe('deny policy permissions (IAM v2 names)', () => {
  it('maps FQDN-qualified names onto v1 permissions', () => {
    expect(
      denyPermissionMatcher('storage.googleapis.com/buckets.delete').test('storage.buckets.delete'),
    ).toBe(true);
    expect(
      denyPermissionMatcher('storage.googleapis.com/buckets.delete').test('storage.buckets.create'),
    ).toBe(false);
    expect(
      denyPermissionMatcher('cloudresourcemanager.googleapis.com/projects.delete').test(
        'resourcemanager.projects.delete',
      ),
    ).toBe(true);
    expect(
      denyPermissionMatcher('iam.googleapis.com/serviceAccountKeys.create').test(
        'iam.serviceaccountkeys.create',
      ),
    ).toBe(true);
  });

  it('supports permission groups (wildcards)', () => {
    expect(denyPermissionMatcher('storage.googleapis.com/*').test('storage.objects.get')).toBe(true);
    expect(denyPermissionMatcher('storage.googleapis.com/*').test('bigquery.tables.get')).toBe(false);
    expect(
      denyPermissionMatcher('storage.googleapis.com/buckets.*').test('storage.buckets.setiampolicy'),
    ).toBe(true);
    expect(denyPermissionMatcher('storage.googleapis.com/buckets.*').test('storage.objects.get')).toBe(false);
    expect(denyPermissionMatcher('storage.googleapis.com/*.delete').test('storage.objects.delete')).toBe(
      true,
    );
    expect(denyPermissionMatcher('storage.googleapis.com/*.delete').test('storage.objects.get')).toBe(false);
  });

  it('exception permissions carve out of the denied set', () => {
    const r = rule({
      deniedPermissions: ['storage.googleapis.com/*'],
      exceptionPermissions: ['storage.googleapis.com/objects.get'],
    });
    expect(ruleDeniesPermission(r, 'storage.objects.delete')).toBe(true);
    expect(ruleDeniesPermission(r, 'storage.objects.get')).toBe(false);
  });

  it('property: a name never matches a permission of another service', () => {
    const part = fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/);
    fc.assert(
      fc.property(part, part, part, part, (s1, s2, res, verb) => {
        fc.pre(s1 !== s2 && s1 !== 'cloudresourcemanager' && s2 !== 'cloudresourcemanager');
        const m = denyPermissionMatcher(`${s1}.googleapis.com/${res}.${verb}`);
        expect(m.test(`${s1}.${res}.${verb}`.toLowerCase())).toBe(true);
        expect(m.test(`${s2}.${res}.${verb}`.toLowerCase())).toBe(false);
      }),
    );
  });
});

describe('deny policy principals', () => {
  it('names users, groups and service accounts in the v2 syntax, case-insensitively', () => {
    const r = rule({ deniedPrincipals: ['principal://goog/subject/Alice@Example.com'] });
    expect(ruleAppliesTo(r, subject('user:alice@example.com'))).toBe(true);
    expect(ruleAppliesTo(r, subject('user:bob@example.com'))).toBe(false);
    const s = rule({
      deniedPrincipals: [
        'principal://iam.googleapis.com/projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com',
      ],
    });
    expect(ruleAppliesTo(s, subject('serviceAccount:sa@p.iam.gserviceaccount.com'))).toBe(true);
  });

  it('everyone, with exceptions through group membership', () => {
    const r = rule({
      deniedPrincipals: ['principalSet://goog/public:all'],
      exceptionPrincipals: ['principalSet://goog/group/admins@example.com'],
    });
    expect(ruleAppliesTo(r, subject('user:eve@example.com'))).toBe(true);
    expect(ruleAppliesTo(r, subject('user:ann@example.com', 'group:admins@example.com'))).toBe(false);
    expect(ruleAppliesTo(r, { identities: [], identified: false })).toBe(true);
  });

  it('a set the inputs cannot enumerate leaves the outcome undecided', () => {
    const r = rule({ deniedPrincipals: ['principalSet://goog/cloudIdentityCustomerId/C01abc'] });
    expect(ruleAppliesTo(r, subject('user:eve@example.com'))).toBeNull();
    // public members are no Workspace identities
    expect(ruleAppliesTo(r, { identities: [], identified: false })).toBe(false);
  });
});
