/** Every AWS service collector, by the name `--services` uses. */
import { cloudFormationCollector } from './cloudformation.js';
import { codeBuildCollector } from './codebuild.js';
import { ec2Collector } from './ec2.js';
import { ecrCollector } from './ecr.js';
import { glueCollector } from './glue.js';
import { kmsCollector } from './kms.js';
import { lambdaCollector } from './lambda.js';
import { s3Collector } from './s3.js';
import { sageMakerCollector } from './sagemaker.js';
import { secretsManagerCollector } from './secrets-manager.js';
import type { ServiceCollector } from './service.js';
import { snsCollector } from './sns.js';
import { sqsCollector } from './sqs.js';

export const SERVICE_COLLECTORS: readonly ServiceCollector[] = [
  s3Collector,
  kmsCollector,
  lambdaCollector,
  sqsCollector,
  snsCollector,
  secretsManagerCollector,
  ecrCollector,
  ec2Collector,
  cloudFormationCollector,
  glueCollector,
  sageMakerCollector,
  codeBuildCollector,
];

/** `iam` (authorization details) is always collected: every other part hangs off it. */
export const SERVICE_NAMES = SERVICE_COLLECTORS.map((s) => s.name);
