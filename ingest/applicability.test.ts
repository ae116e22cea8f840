import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../graph/embedded/sqlite-store.js';
import { whoCan } from '../graph/queries/access.js';
import { packagePath } from '../lib/package-root.js';
import { narrowToTarget } from './applicability.js';
import { awsActionsApplicableTo } from './aws/applicable-actions.js';
import { loadSources } from './load.js';
import { readInputs } from './read-inputs.js';
import { ingestDocuments } from './registry.js';

const dir = mkdtempSync(join(tmpdir(), 'accessgraph-applicable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('actions that matter on a resource', () => {
  it('are the actions acting on its service, wherever they come from', async () => {
    const bucket = await awsActionsApplicableTo('s3:bucket');
    expect(bucket).toContain('s3:getobject');
    expect(bucket).toContain('s3:putbucketpolicy');
    expect(bucket).not.toContain('cloudformation:createstack');
    expect(bucket).not.toContain('s3:listallmybuckets'); // takes only "*"
    expect(await awsActionsApplicableTo('ec2:instance')).toContain('ssm:sendcommand');
    expect(await awsActionsApplicableTo('aws:account')).toBeNull();
    expect(await awsActionsApplicableTo(undefined)).toBeNull();
  });

  it('keep account-wide grants of unrelated actions out of who-can', async () => {
    const store = await EmbeddedStore.open({ dataDir: dir });
    await loadSources(
      store,
      await ingestDocuments(readInputs([packagePath('ingest', 'aws', 'fixtures', 'aws-snapshot.json')])),
    );
    const bucket = 'arn:aws:s3:::app-payments-invoices';
    const names = async (q: Parameters<typeof whoCan>[2]) =>
      (await whoCan(store, bucket, q)).answers.map((a) => a.node.name);
    const broad = await names({ kinds: ['Role'] });
    const narrowed = await names(await narrowToTarget(store, bucket, { kinds: ['Role'] }));
    // DeployRole only holds CloudFormation actions account-wide: it does not reach a bucket
    expect(broad).toContain('DeployRole');
    expect(narrowed).not.toContain('DeployRole');
    expect(narrowed).toContain('BreakGlass');
    const shown = (await whoCan(store, bucket, await narrowToTarget(store, bucket, { kinds: ['Role'] })))
      .answers;
    expect(
      shown.find((a) => a.node.name === 'BreakGlass')!.actions.every((x) => !x.startsWith('cloudformation:')),
    ).toBe(true);
    await store.close();
  });
});
