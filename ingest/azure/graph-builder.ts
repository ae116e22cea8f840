/**
 * Collects one tenant's nodes and edges (first definition wins, deterministic edge ids) and
 * creates scope nodes with their CONTAINS chain on demand, so a grant on a scope the
 * inventory never listed still sits in the hierarchy.
 */
import { edgeId, type GraphEdge, type GraphNode, type JsonValue } from '../../graph/model.js';
import { normalizeScope, resourceTypeOf, type ScopeTree, scopeKind, scopeNodeId } from './scope.js';

export class AzureGraph {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();

  constructor(
    readonly source: string,
    private readonly tree: ScopeTree,
    private readonly scopeNames: (scope: string) => string | undefined,
  ) {}

  node(n: Omit<GraphNode, 'cloud' | 'source'>): void {
    if (!this.nodes.has(n.id)) this.nodes.set(n.id, { cloud: 'azure', source: this.source, ...n });
  }

  mergeProps(id: string, props: Record<string, JsonValue>): void {
    const n = this.nodes.get(id);
    if (n) n.props = { ...n.props, ...props };
  }

  edge(e: Omit<GraphEdge, 'source' | 'id'> & { discriminator?: string }): GraphEdge {
    const { discriminator, ...rest } = e;
    const id = edgeId(e.kind, e.from, e.to, discriminator ?? '');
    let edge = this.edges.get(id);
    if (!edge) {
      edge = { ...rest, id, source: this.source } as GraphEdge;
      this.edges.set(id, edge);
    }
    return edge;
  }

  /** The node of a scope, created with its parents and CONTAINS edges when missing. */
  scope(scope: string, inventoried = false): string {
    const s = normalizeScope(scope);
    const id = scopeNodeId(s);
    if (this.nodes.has(id)) return id;
    const kind = scopeKind(s);
    const last = s.split('/').pop() || '/';
    const name = this.scopeNames(s) ?? (s === '/' ? 'Azure root scope (/)' : last);
    const base = { id, name, props: { scope: s, inventoried } };
    switch (kind) {
      case 'root':
        this.node({ ...base, kind: 'Organization', type: 'azure:root-scope' });
        break;
      case 'managementGroup':
        this.node({ ...base, kind: 'ManagementGroup', type: 'Microsoft.Management/managementGroups' });
        break;
      case 'subscription':
        this.node({ ...base, kind: 'Subscription', type: 'Microsoft.Resources/subscriptions' });
        break;
      case 'resourceGroup':
        this.node({ ...base, kind: 'ResourceGroup', type: 'Microsoft.Resources/resourceGroups' });
        break;
      default:
        this.node({ ...base, kind: 'Resource', type: resourceTypeOf(s) ?? 'azure:resource' });
    }
    const parent = this.tree.parent(s);
    if (parent !== null)
      this.edge({ kind: 'CONTAINS', from: this.scope(parent), to: id, via: null, props: {} });
    return id;
  }
}
