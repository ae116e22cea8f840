/** Edges stay at the scope and holder of each grant: a big group on a big subscription is a handful of edges. */
import { describe, expect, it } from 'vitest';
import { ingestAzure } from './index.js';

const T = '0e0e0e0e-0000-4000-8000-000000000000';
const SUB = '/subscriptions/5b0e0007-0000-4000-8000-000000000007';
const GROUP = 'a2000000-0000-4000-8000-000000000001';
const guid = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('azure scale', () => {
  it('5,000 members × 2,000 resources under one Contributor grant and one deny exclusion', async () => {
    const users = Array.from({ length: 5000 }, (_, i) => ({ id: guid('a1000000', i), displayName: `u${i}` }));
    const resources = Array.from({ length: 2000 }, (_, i) => ({
      id: `${SUB}/resourceGroups/rg${i % 20}/providers/Microsoft.Storage/storageAccounts/st${i}`,
      name: `st${i}`,
      type: 'Microsoft.Storage/storageAccounts',
    }));
    const doc = {
      format: 'accessgraph-azure-snapshot',
      version: 1,
      collectedAt: '2026-11-28T00:00:00Z',
      tenantId: T,
      users,
      groups: [{ id: GROUP, displayName: 'everyone', securityEnabled: true, mailEnabled: false }],
      groupMembers: users.map((u) => ({ groupId: GROUP, memberId: u.id })),
      resources,
      roleAssignments: [
        {
          id: `${SUB}/providers/Microsoft.Authorization/roleAssignments/1`,
          principalId: GROUP,
          principalType: 'Group',
          roleDefinitionId:
            '/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c',
          scope: SUB,
        },
      ],
      denyAssignments: [
        {
          id: `${SUB}/resourceGroups/rg1/providers/Microsoft.Authorization/denyAssignments/1`,
          scope: `${SUB}/resourceGroups/rg1`,
          permissions: [{ actions: ['*/delete'] }],
          principals: [{ id: '00000000-0000-0000-0000-000000000000', type: 'SystemDefined' }],
          excludePrincipals: [{ id: guid('a1000000', 7), type: 'User' }],
        },
      ],
    };
    const started = Date.now();
    const [src] = await ingestAzure([{ file: 'big.json', doc }]);
    expect(Date.now() - started).toBeLessThan(20_000);
    const has = src?.edges.filter((e) => e.kind === 'HAS_ACCESS') ?? [];
    // the group's grant, plus one copy for the one member the deny treats differently
    expect(has.map((e) => e.from).sort()).toEqual([
      `azure:group:${GROUP}`,
      `azure:user:${guid('a1000000', 7)}`,
    ]);
    expect(src?.edges.filter((e) => e.kind === 'MEMBER_OF' && e.props.grantsMaterialized)).toHaveLength(1);
  });
});
