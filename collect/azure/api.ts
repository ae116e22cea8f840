/**
 * The Azure and Microsoft Graph reads `collect azure` makes, as one interface: the real one
 * (sdk-api.ts) wraps the official SDKs, tests inject recorded responses. Every list is an
 * async iterable that has already followed its pages.
 */

export type Json = Record<string, unknown>;

export interface AzureApi {
  /** subscriptions the credential can see (`subscriptionId`, `displayName`, `tenantId`, `state`) */
  subscriptions(): AsyncIterable<Json>;
  /** management groups (`name`, `displayName`, `tenantId`) */
  managementGroups(): AsyncIterable<Json>;
  /** one management group with `details.parent` and its direct `children` (groups and subscriptions) */
  managementGroup(name: string): Promise<Json>;
  /** role definitions assignable at a scope (built-in and custom), in the CLI's shape */
  roleDefinitions(scope: string): AsyncIterable<Json>;
  /** role assignments that apply to a subscription, inherited ones included */
  roleAssignments(subscriptionId: string): AsyncIterable<Json>;
  /** PIM eligibility schedules of Azure roles at a subscription */
  roleEligibilities(subscriptionId: string): AsyncIterable<Json>;
  denyAssignments(subscriptionId: string): AsyncIterable<Json>;
  resources(subscriptionId: string): AsyncIterable<Json>;
  /** key vaults of a subscription with their properties (permission model, access policies) */
  keyVaults(subscriptionId: string): AsyncIterable<Json>;
  /** a Microsoft Graph v1.0 collection (path like `/users?$select=…`), every page */
  graph(path: string): AsyncIterable<Json>;
}
