/**
 * Batches node lookups made while one GraphQL response resolves (e.g. the nodes on 500
 * answers' paths) into one getNodes call per tick, and remembers them for the request.
 */
import type { GraphNode } from '../graph/model.js';
import type { GraphStore } from '../graph/store.js';

export class NodeLoader {
  private readonly known = new Map<string, Promise<GraphNode | null>>();
  private pending: Array<{
    id: string;
    resolve: (n: GraphNode | null) => void;
    reject: (e: unknown) => void;
  }> = [];

  constructor(private readonly store: GraphStore) {}

  load(id: string): Promise<GraphNode | null> {
    let p = this.known.get(id);
    if (!p) {
      p = new Promise((resolve, reject) => {
        this.pending.push({ id, resolve, reject });
        if (this.pending.length === 1) queueMicrotask(() => void this.flush());
      });
      this.known.set(id, p);
    }
    return p;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const nodes = await this.store.getNodes(batch.map((b) => b.id));
      const byId = new Map(nodes.map((n) => [n.id, n]));
      for (const b of batch) b.resolve(byId.get(b.id) ?? null);
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }
}
