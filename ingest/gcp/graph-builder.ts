/** Collects GCP nodes and edges, first definition wins, edge ids deterministic. */
import { edgeId, type GraphEdge, type GraphNode } from '../../graph/model.js';

export class GcpGraph {
  readonly nodes = new Map<string, Omit<GraphNode, 'source'>>();
  readonly edges = new Map<string, Omit<GraphEdge, 'source'>>();

  node(n: Omit<GraphNode, 'cloud' | 'source'>): void {
    if (!this.nodes.has(n.id)) this.nodes.set(n.id, { cloud: 'gcp', ...n });
  }

  edge(e: Omit<GraphEdge, 'source' | 'id'> & { discriminator?: string }): void {
    const { discriminator, ...rest } = e;
    const id = edgeId(e.kind, e.from, e.to, discriminator ?? '');
    if (!this.edges.has(id)) this.edges.set(id, { ...rest, id } as Omit<GraphEdge, 'source'>);
  }
}
