import { describe, expect, it } from 'vitest';
import { OperationCatalog } from './operations.js';
import { PrincipalIndex } from './principals.js';
import { assignmentGrant, DenyEvaluator, EVERYONE } from './rbac.js';
import type { RoleDefinition } from './role-definitions.js';
import { ScopeTree } from './scope.js';
import { type DenyAssignment, emptyTenant, type RoleAssignment } from './tenant.js';

const block = (actions: string[], notActions: string[] = [], dataActions: string[] = []) => ({
  actions,
  notActions,
  dataActions,
  notDataActions: [],
  condition: null,
});
const role = (permissions: RoleDefinition['permissions']): RoleDefinition => ({
  guid: 'c0570000-0000-4000-8000-00000000c001',
  name: 'Test role',
  custom: true,
  permissions,
  assignableScopes: ['/'],
  origin: 'test',
  abridged: false,
});
const SUB = '/subscriptions/5b0e0001-0000-4000-8000-000000000001';
const assignment = (scope = SUB): RoleAssignment => ({
  id: `${scope}/providers/microsoft.authorization/roleassignments/1`,
  principalId: 'u1',
  principalType: 'User',
  roleGuid: 'c0570000-0000-4000-8000-00000000c001',
  roleName: null,
  scope,
  condition: null,
  conditionVersion: null,
  eligible: false,
  origin: { file: 'f', path: '$' },
  raw: null,
});
const WRITE = 'microsoft.authorization/roleassignments/write';

describe('role definitions', () => {
  const catalog = new OperationCatalog();

  it('notActions subtract inside their own block only', () => {
    const one = assignmentGrant(
      assignment(),
      role([block(['*'], ['Microsoft.Authorization/*/Write'])]),
      catalog,
    );
    expect(one.operations.has(WRITE)).toBe(false);
    expect(one.operations.has('microsoft.compute/virtualmachines/runcommand/action')).toBe(true);
    expect(one.fullControl).toBe(false);
    const two = assignmentGrant(
      assignment(),
      role([
        block(['*'], ['Microsoft.Authorization/*/Write']),
        block(['Microsoft.Authorization/roleAssignments/write']),
      ]),
      catalog,
    );
    expect(two.operations.has(WRITE)).toBe(true);
  });

  it('`*` does not include data actions; dataActions grant data operations', () => {
    const owner = assignmentGrant(assignment(), role([block(['*'])]), catalog);
    expect(owner.fullControl).toBe(true);
    expect(owner.operations.has('microsoft.keyvault/vaults/secrets/getsecret/action')).toBe(false);
    const reader = assignmentGrant(
      assignment(),
      role([block([], [], ['Microsoft.KeyVault/vaults/secrets/getSecret/action'])]),
      catalog,
    );
    expect([...reader.operations]).toEqual(['microsoft.keyvault/vaults/secrets/getsecret/action']);
  });

  it('whole-namespace grants are full control of that provider', () => {
    expect(
      assignmentGrant(assignment(), role([block(['Microsoft.KeyVault/*'])]), catalog).wholeNamespace,
    ).toBe(true);
    expect(
      assignmentGrant(
        assignment(),
        role([block(['Microsoft.KeyVault/*'], ['Microsoft.KeyVault/vaults/delete'])]),
        catalog,
      ).wholeNamespace,
    ).toBe(false);
    expect(assignmentGrant(assignment(), role([block(['*/read'])]), catalog).wholeNamespace).toBe(false);
  });
});

describe('deny assignments', () => {
  const t = emptyTenant('t');
  t.memberships.push({ groupId: 'g1', memberId: 'u1', origin: { file: 'f', path: '$' } });
  t.memberships.push({ groupId: 'g2', memberId: 'g1', origin: { file: 'f', path: '$' } });
  const catalog = new OperationCatalog();
  const tree = new ScopeTree();
  const deny = (d: Partial<DenyAssignment>): DenyAssignment => ({
    id: 'd1',
    name: 'd1',
    scope: SUB,
    actions: ['Microsoft.Authorization/roleAssignments/write'],
    notActions: [],
    dataActions: [],
    notDataActions: [],
    principals: [EVERYONE],
    excludePrincipals: [],
    doNotApplyToChildScopes: false,
    origin: { file: 'f', path: '$' },
    raw: null,
    ...d,
  });
  const ops = new Set([WRITE, 'microsoft.compute/virtualmachines/read']);
  const evalWith = (d: Partial<DenyAssignment>, who = 'u1', scope = SUB) =>
    new DenyEvaluator([deny(d)], tree, new PrincipalIndex(t), catalog).effects(who, scope, ops);

  it('binds everyone, a principal, or the members of a group at any depth', () => {
    expect(evalWith({})[0]).toMatchObject({ effect: 'removed', operations: [WRITE] });
    expect(evalWith({ principals: ['u1'] })).toHaveLength(1);
    expect(evalWith({ principals: ['g2'] })).toHaveLength(1);
    expect(evalWith({ principals: ['u2'] })).toHaveLength(0);
  });

  it('excludePrincipals exempt a principal, also through its groups', () => {
    expect(evalWith({ excludePrincipals: ['u1'] })).toHaveLength(0);
    expect(evalWith({ excludePrincipals: ['g2'] })).toHaveLength(0);
    expect(evalWith({ excludePrincipals: ['u1'] }, 'u9')).toHaveLength(1);
  });

  it('applies to child scopes unless doNotApplyToChildScopes', () => {
    const rg = `${SUB}/resourcegroups/rg1`;
    expect(evalWith({}, 'u1', rg)[0]?.effect).toBe('removed');
    expect(evalWith({ doNotApplyToChildScopes: true }, 'u1', rg)).toHaveLength(0);
    // at its own scope with doNotApplyToChildScopes it denies the scope itself, not what is below
    expect(evalWith({ doNotApplyToChildScopes: true })[0]).toMatchObject({
      effect: 'exception',
      childScopes: false,
    });
  });

  it('a deny below the grant is an exception to part of it', () => {
    expect(evalWith({ scope: `${SUB}/resourcegroups/rg1` })[0]).toMatchObject({
      effect: 'exception',
      childScopes: true,
    });
    expect(evalWith({ scope: '/subscriptions/other' })).toHaveLength(0);
  });

  it('notActions in a deny leave those operations allowed', () => {
    expect(evalWith({ actions: ['*'], notActions: ['*/read'] })[0]?.operations).toEqual([WRITE]);
  });
});
