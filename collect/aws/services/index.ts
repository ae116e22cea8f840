/** Every AWS service collector, by the name `--services` uses. */
import { appRunnerCollector } from './apprunner.js';
import { bedrockAgentCoreCollector } from './bedrock-agentcore.js';
import { cloudFormationCollector } from './cloudformation.js';
import { cloudFormationStackSetsCollector } from './cloudformation-stacksets.js';
import { codeBuildCollector } from './codebuild.js';
import { ec2Collector } from './ec2.js';
import { ec2LaunchTemplatesCollector } from './ec2-launch-templates.js';
import { ecrCollector } from './ecr.js';
import { ecsClustersCollector, ecsTaskDefinitionsCollector } from './ecs.js';
import { glueCollector } from './glue.js';
import { glueJobsCollector } from './glue-jobs.js';
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
  ec2LaunchTemplatesCollector,
  cloudFormationCollector,
  cloudFormationStackSetsCollector,
  glueCollector,
  glueJobsCollector,
  sageMakerCollector,
  codeBuildCollector,
  appRunnerCollector,
  bedrockAgentCoreCollector,
  ecsClustersCollector,
  ecsTaskDefinitionsCollector,
];

/**
 * The names `--services` accepts; a service with several collectors (ec2: instances and
 * launch templates) is one name. `iam` (authorization details) is always collected: every
 * other part hangs off it.
 */
export const SERVICE_NAMES = [...new Set(SERVICE_COLLECTORS.map((s) => s.name))];
