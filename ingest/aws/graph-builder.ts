/** Collects one source's nodes and edges, first definition wins, edge ids deterministic. */
import { edgeId, type GraphEdge, type GraphNode } from '../../graph/model.js';

export class GraphBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  constructor(readonly source: string) {}

  node(n: Omit<GraphNode, 'cloud' | 'source'>): void {
    if (!this.nodes.has(n.id)) this.nodes.set(n.id, { cloud: 'aws', source: this.source, ...n });
  }

  /** Define a node, replacing one made earlier as a stand-in (an uninventoried resource). */
  define(n: Omit<GraphNode, 'cloud' | 'source'>): void {
    this.nodes.set(n.id, { cloud: 'aws', source: this.source, ...n });
  }

  edge(e: Omit<GraphEdge, 'source' | 'id'> & { discriminator?: string }): void {
    const id = edgeId(e.kind, e.from, e.to, e.discriminator ?? '');
    // most calls repeat an edge already made (escalation detection): copy only new ones
    if (this.edges.has(id)) return;
    const { discriminator: _, ...rest } = e;
    this.edges.set(id, { ...rest, id, source: this.source } as GraphEdge);
  }
}
