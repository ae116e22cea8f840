/** What every evaluation stage of one tenant shares. */
import type { AzureGraph } from './graph-builder.js';
import type { OperationCatalog } from './operations.js';
import type { PrincipalIndex } from './principals.js';
import type { ScopeTree } from './scope.js';
import type { TenantData } from './tenant.js';

export interface TenantContext {
  t: TenantData;
  g: AzureGraph;
  catalog: OperationCatalog;
  tree: ScopeTree;
  principals: PrincipalIndex;
  warnings: string[];
}
