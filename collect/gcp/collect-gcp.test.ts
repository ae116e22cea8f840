/** `collect gcp` against recorded responses: an injected API, never Google. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestGcp } from '../../ingest/gcp/index.js';
import { collectGcp, isRetryable } from './collect-gcp.js';
import { grpcError, ORG, recordedApi } from './test-support/recorded-api.js';
import { writeGcpSnapshotDir } from './write-snapshot.js';

describe('collect gcp', () => {
  it('collects an organization into a snapshot the ingester accepts', async () => {
    const calls: string[] = [];
    const waits: number[] = [];
    const snapshot = await collectGcp(
      { organization: '42' },
      {
        api: recordedApi(calls),
        now: () => new Date('2026-11-29T08:00:00Z'),
        sleep: async (ms) => {
          waits.push(ms);
        },
        random: () => 0.5,
      },
    );
    // folder tree walked breadth first, projects found under the nested folder
    expect(snapshot.folders).toEqual([
      { name: 'folders/7', parent: ORG, displayName: 'Prod' },
      { name: 'folders/8', parent: 'folders/7', displayName: 'Shop' },
    ]);
    expect(snapshot.projects).toEqual([
      { projectId: 'shop-prod', projectNumber: '900', displayName: 'Shop', parent: 'folders/8' },
    ]);
    // throttled once, waited with backoff, restarted: one policy, not two
    expect(waits).toEqual([250]);
    expect(snapshot.iamPolicies).toHaveLength(1);
    // protobuf defaults dropped: no empty conditions
    const bindings = (
      snapshot.iamPolicies as Array<{ policy: { bindings: Array<Record<string, unknown>> } }>
    )[0]?.policy.bindings;
    expect(bindings?.[1]).toEqual({
      role: 'organizations/42/roles/keyMaker',
      members: ['user:mallet@shop.example', 'user:kim@shop.example'],
    });
    expect(bindings?.[2]?.condition).toEqual({
      expression: 'request.time < timestamp("2030-01-01T00:00:00Z")',
      title: 'temporary',
    });
    // paginated REST listing read to the end
    expect((snapshot.serviceAccounts as unknown[]).length).toBe(2);
    // nested Cloud Identity groups followed
    expect(snapshot.groups).toEqual([
      { email: 'ops@shop.example', members: ['group:oncall@shop.example', 'user:olga@shop.example'] },
      { email: 'oncall@shop.example', members: ['user:pete@shop.example'] },
    ]);
    // a denied call is recorded and the rest collected
    expect(snapshot.errors).toEqual([
      expect.objectContaining({
        service: 'iam',
        operation: 'policies.listPolicies',
        code: '403',
        message: expect.stringContaining('folders/7'),
      }),
    ]);

    const dir = mkdtempSync(join(tmpdir(), 'gcp-collect-'));
    try {
      const file = writeGcpSnapshotDir(join(dir, 'snap'), snapshot);
      const [src] = await ingestGcp([{ file, doc: JSON.parse(readFileSync(file, 'utf8')) }], {
        now: new Date('2026-11-29T09:00:00Z'),
      });
      expect(src?.descriptor.id).toBe('gcp:organizations/42');
      const esc = (from: string) =>
        src?.edges.filter((e) => e.kind === 'CAN_ESCALATE' && e.from === from).map((e) => e.to);
      // kim's custom role can mint keys; mallet is denied by the collected deny policy
      expect(esc('gcp:user:kim@shop.example')).toContain(
        'gcp:serviceAccount:api@shop-prod.iam.gserviceaccount.com',
      );
      expect(esc('gcp:user:mallet@shop.example')).toEqual([]);
      expect(
        src?.edges.some(
          (e) =>
            e.kind === 'RUNS_AS' && e.to === 'gcp:serviceAccount:batch@shop-prod.iam.gserviceaccount.com',
        ),
      ).toBe(true);
      expect(
        src?.edges.some(
          (e) =>
            e.kind === 'MEMBER_OF' &&
            e.from === 'gcp:user:pete@shop.example' &&
            e.to === 'gcp:group:oncall@shop.example',
        ),
      ).toBe(true);
      expect(src?.warnings.some((w) => w.includes('policies.listPolicies'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('collects named projects when there is no organization', async () => {
    const calls: string[] = [];
    const snapshot = await collectGcp(
      { projects: ['shop-prod'] },
      { api: recordedApi(calls), sleep: async () => {} },
    );
    expect(calls.some((c) => c.startsWith('getOrganization'))).toBe(false);
    expect(calls).toContain('searchAllIamPolicies projects/shop-prod');
    expect(snapshot.projects).toEqual([{ projectId: 'shop-prod', parent: null }]);
  });

  it('refuses to run with nothing to collect', async () => {
    await expect(collectGcp({}, { api: recordedApi([]) })).rejects.toThrow(/nothing to collect/);
  });

  it('retries throttling and unavailability only', () => {
    expect(isRetryable(grpcError(8, 'quota'))).toBe(true);
    expect(isRetryable(grpcError(14, 'unavailable'))).toBe(true);
    expect(isRetryable({ response: { status: 429 } })).toBe(true);
    expect(isRetryable({ status: 503 })).toBe(true);
    expect(isRetryable(grpcError(7, 'permission denied'))).toBe(false);
    expect(isRetryable({ code: 403 })).toBe(false);
    expect(isRetryable('boom')).toBe(false);
  });
});
