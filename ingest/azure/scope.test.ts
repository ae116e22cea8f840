import { describe, expect, it } from 'vitest';
import { normalizeScope, resourceTypeOf, ScopeTree, scopeKind } from './scope.js';

const sub = '/subscriptions/5b0e0001-0000-4000-8000-000000000001';
const vm = `${sub}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-app`;

describe('Azure scopes', () => {
  it('classifies ARM ids', () => {
    expect(scopeKind('/')).toBe('root');
    expect(scopeKind('/providers/Microsoft.Management/managementGroups/mg-prod')).toBe('managementGroup');
    expect(scopeKind(sub)).toBe('subscription');
    expect(scopeKind(`${sub}/resourceGroups/rg-app`)).toBe('resourceGroup');
    expect(scopeKind(vm)).toBe('resource');
    expect(scopeKind('/subscriptions')).toBeNull();
    expect(scopeKind('/tenants/x')).toBeNull();
  });

  it('walks resource → resource group → subscription → management groups → /', () => {
    const tree = new ScopeTree();
    tree.rootGroup = '/providers/microsoft.management/managementgroups/root';
    tree.mgParent.set('/providers/microsoft.management/managementgroups/mg-prod', tree.rootGroup);
    tree.subscriptionParent.set(
      normalizeScope(sub),
      '/providers/microsoft.management/managementgroups/mg-prod',
    );
    const ext = `${vm}/extensions/agent`;
    expect(tree.chain(ext)).toEqual([
      normalizeScope(ext),
      normalizeScope(vm),
      normalizeScope(`${sub}/resourceGroups/rg-app`),
      normalizeScope(sub),
      '/providers/microsoft.management/managementgroups/mg-prod',
      '/providers/microsoft.management/managementgroups/root',
      '/',
    ]);
    expect(tree.within(vm, '/providers/Microsoft.Management/managementGroups/mg-prod')).toBe(true);
    expect(tree.within(sub, vm)).toBe(false);
    // a subscription the hierarchy does not place sits under the tenant root group
    expect(tree.parent('/subscriptions/other')).toBe(tree.rootGroup);
  });

  it('names resource types with their nesting', () => {
    expect(resourceTypeOf(vm)).toBe('microsoft.compute/virtualmachines');
    expect(resourceTypeOf(`${vm}/extensions/agent`)).toBe('microsoft.compute/virtualmachines/extensions');
    expect(resourceTypeOf(sub)).toBeNull();
  });
});
