/** Privilege escalation for AWS accounts: what findings and renderers need to know (docs/aws-escalation.md). */
export { adminNodeId } from './admin-node.js';
export { requiresExternalId } from './external-trust.js';
export {
  ASSUME_TECHNIQUE,
  CATALOGUE_TECHNIQUE_IDS,
  type Category,
  HANDLED_TECHNIQUE_IDS,
  TECHNIQUES,
  type Technique,
} from './techniques.js';
