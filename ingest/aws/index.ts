/** The AWS ingesters, in detection order, and how `ingest --help` describes their inputs. */
import type { Ingester } from '../types.js';
import { awsAuthorizationDetailsIngester } from './authorization-details.js';
import { awsSnapshotIngester } from './snapshot.js';

export { awsAuthorizationDetailsIngester, ingestAuthorizationDetails } from './authorization-details.js';
export { adminNodeId, HANDLED_TECHNIQUE_IDS, TECHNIQUES } from './escalation/index.js';
export { awsSnapshotIngester, ingestAwsSnapshot } from './snapshot.js';

export const AWS_INGESTERS: readonly Ingester[] = [awsSnapshotIngester, awsAuthorizationDetailsIngester];

export const AWS_ACCEPTED_INPUTS = [
  'AWS IAM export: the output of `aws iam get-account-authorization-details --output json`, unmodified',
  'AWS snapshot ({"format": "accessgraph-aws-snapshot", ...}; docs/schema/aws-snapshot.schema.json)',
];
