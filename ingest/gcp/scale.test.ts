/** "Do not let edges explode" (DESIGN.md): big groups and many resources stay few edges. */
import { describe, expect, it } from 'vitest';
import { ingestGcp } from './index.js';

describe('gcp edge counts', () => {
  it('a 3,000-member group with read on 400 buckets stays thousands of edges; only a denied member is materialized', async () => {
    const users = Array.from({ length: 3000 }, (_, i) => `user:u${i}@x.example`);
    const buckets = Array.from({ length: 400 }, (_, i) => `//storage.googleapis.com/b-${i}`);
    const doc = {
      format: 'accessgraph-gcp-snapshot',
      version: 1,
      collectedAt: '2026-11-29T00:00:00Z',
      organizations: [{ name: 'organizations/1' }],
      projects: [{ projectId: 'data-lake', parent: 'organizations/1' }],
      groups: [{ email: 'everyone@x.example', members: users }],
      resources: buckets.map((name) => ({
        name,
        assetType: 'storage.googleapis.com/Bucket',
        parent: 'projects/data-lake',
      })),
      iamPolicies: [
        {
          resource: '//cloudresourcemanager.googleapis.com/organizations/1',
          policy: {
            bindings: [{ role: 'roles/storage.objectViewer', members: ['group:everyone@x.example'] }],
          },
        },
      ],
      denyPolicies: [
        {
          name: 'policies/cloudresourcemanager.googleapis.com%2Forganizations%2F1/denypolicies/one',
          rules: [
            {
              denyRule: {
                deniedPrincipals: ['principal://goog/subject/u7@x.example'],
                deniedPermissions: ['storage.googleapis.com/objects.get'],
              },
            },
          ],
        },
      ],
    };
    const started = Date.now();
    const [src] = await ingestGcp([{ file: 'big.json', doc }], { now: new Date('2026-11-29T00:00:00Z') });
    const count = (k: string) => src?.edges.filter((e) => e.kind === k).length ?? 0;
    expect(count('HAS_ACCESS')).toBe(2); // the group's grant, and u7's own narrowed copy
    expect(count('MEMBER_OF')).toBe(3000);
    expect(count('CONTAINS')).toBe(401);
    expect(
      src?.edges.filter((e) => e.kind === 'MEMBER_OF' && e.props.grantsMaterialized).map((e) => e.from),
    ).toEqual(['gcp:user:u7@x.example']);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('projects outside any organization become their own sources', async () => {
    const doc = [
      {
        resource: '//cloudresourcemanager.googleapis.com/projects/solo-a',
        project: 'projects/11',
        policy: { bindings: [{ role: 'roles/viewer', members: ['user:a@x.example'] }] },
      },
      {
        resource: '//cloudresourcemanager.googleapis.com/projects/solo-b',
        project: 'projects/22',
        policy: { bindings: [{ role: 'roles/viewer', members: ['user:a@x.example'] }] },
      },
    ];
    const sources = await ingestGcp([{ file: 'solo.json', doc }], { now: new Date('2026-11-29T00:00:00Z') });
    expect(sources.map((s) => s.descriptor.id).sort()).toEqual([
      'gcp:projects/solo-a',
      'gcp:projects/solo-b',
    ]);
    // the shared principal is defined in both; each source keeps its own edges
    for (const s of sources) {
      expect(s.nodes.some((n) => n.id === 'gcp:user:a@x.example')).toBe(true);
      expect(s.edges.every((e) => e.source === s.descriptor.id)).toBe(true);
      expect(s.edges.filter((e) => e.kind === 'HAS_ACCESS')).toHaveLength(1);
    }
  });
});
