/**
 * Runs a planned source's build from its plain-data description (`PlannedSource.job`), in
 * whichever thread holds it: the worker threads of ingest/build-pool.ts. Each ingester that
 * offers jobs has one case here.
 */
import type { BuildJob, IngestedSource } from './types.js';

export async function runBuildJob(job: BuildJob): Promise<IngestedSource> {
  switch (job.kind) {
    case 'aws-snapshot-account':
      return (await import('./aws/snapshot.js')).buildSnapshotJob(job.payload);
    case 'aws-authorization-details':
      return (await import('./aws/authorization-details.js')).buildAuthorizationDetailsJob(job.payload);
  }
}
