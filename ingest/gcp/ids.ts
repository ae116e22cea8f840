/**
 * Node ids for Google Cloud (docs/gcp-ingest.md, "Node ids"). Every id starts with `gcp:`
 * so it can never collide with an AWS ARN or an Azure resource id, and stays readable:
 * containers by their resource-manager name, resources by their Cloud Asset Inventory
 * full resource name, principals by their IAM member string.
 */

export const orgId = (orgNumber: string): string => `gcp:organizations/${orgNumber}`;
export const folderId = (folderNumber: string): string => `gcp:folders/${folderNumber}`;
export const projectId = (projectIdOrNumber: string): string => `gcp:projects/${projectIdOrNumber}`;
/** `//storage.googleapis.com/my-bucket` → `gcp://storage.googleapis.com/my-bucket` */
export const resourceId = (fullResourceName: string): string => `gcp:${fullResourceName}`;
export const roleId = (roleName: string): string => `gcp:${roleName}`;
/** The IAM allow policy of one resource or container (bindings are statements inside it). */
export const iamPolicyId = (scopeNodeId: string): string => `${scopeNodeId}#iam-policy`;
export const denyPolicyId = (name: string): string => `gcp:${name}`;
/** The synthetic "administrator of this scope" that setIamPolicy-style escalations reach. */
export const scopeAdminId = (scopeNodeId: string): string => `gcp:scope-admin:${scopeNodeId.slice(4)}`;
/** Synthetic "can lift organization-policy guardrails on this scope" (orgpolicy.policy.set). */
export const orgPolicyControlId = (scopeNodeId: string): string =>
  `gcp:org-policy-control:${scopeNodeId.slice(4)}`;
/** Synthetic "can create or read this project's API keys". */
export const apiKeysId = (projectNodeId: string): string => `gcp:api-keys:${projectNodeId.slice(4)}`;

/** The short name of a container or resource node id (`projects/p`, `//storage…/b`). */
export const scopeName = (nodeId: string): string => nodeId.slice(4);

/** The source of everything under one hierarchy root: `gcp:organizations/1`, `gcp:projects/p`. */
export const sourceIdOf = (rootNodeId: string): string => rootNodeId;
