/**
 * Which nodes a report covers. `clouds` matches the node's cloud; `accounts` matches an
 * AWS account id, GCP project, Azure subscription (or any container) by its id, its name,
 * the last segment of its id, or the source id (`aws:111111111111` matches `111111111111`).
 * A node is in an account when it belongs to that source or sits below that container
 * through CONTAINS edges.
 */
import type { GraphNode } from '../graph/model.js';
import type { GraphStore } from '../graph/store.js';
import type { ReportDefinition } from './config.js';

const MAX_CONTAINMENT_DEPTH = 12;

function lastSegment(id: string): string {
  const parts = id.split(/[/:]/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? id;
}

export class ScopeFilter {
  private readonly ancestors = new Map<string, GraphNode[]>();
  private readonly wanted: Set<string>;

  constructor(
    private readonly store: GraphStore,
    private readonly scope: ReportDefinition['scope'],
  ) {
    this.wanted = new Set(scope.accounts.map((a) => a.toLowerCase()));
  }

  get unrestricted(): boolean {
    return this.scope.clouds.length === 0 && this.scope.accounts.length === 0;
  }

  private matches(value: string): boolean {
    const v = value.toLowerCase();
    return this.wanted.has(v) || this.wanted.has(lastSegment(v));
  }

  /** Containers above `id`, nearest first, each visited once. */
  private async containersAbove(id: string): Promise<GraphNode[]> {
    const cached = this.ancestors.get(id);
    if (cached) return cached;
    const seen = new Set<string>([id]);
    const found: string[] = [];
    let frontier = [id];
    for (let d = 0; d < MAX_CONTAINMENT_DEPTH && frontier.length > 0; d++) {
      const next: string[] = [];
      for (const n of frontier) {
        for (const e of await this.store.getEdges(n, { kinds: ['CONTAINS'], direction: 'in' })) {
          if (seen.has(e.from)) continue;
          seen.add(e.from);
          found.push(e.from);
          next.push(e.from);
        }
      }
      frontier = next;
    }
    const nodes = await this.store.getNodes(found);
    this.ancestors.set(id, nodes);
    return nodes;
  }

  async includes(node: GraphNode | null): Promise<boolean> {
    if (this.unrestricted) return true;
    if (!node) return false;
    if (this.scope.clouds.length > 0 && !this.scope.clouds.includes(node.cloud)) return false;
    if (this.wanted.size === 0) return true;
    if (node.source && this.matches(node.source.replace(/^[a-z]+:/, ''))) return true;
    if (node.source && this.matches(node.source)) return true;
    if (this.matches(node.id) || this.matches(node.name)) return true;
    for (const c of await this.containersAbove(node.id)) {
      if (this.matches(c.id) || this.matches(c.name)) return true;
    }
    return false;
  }
}
