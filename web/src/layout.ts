/**
 * Main-thread side of the layout worker. One worker; while it is busy, only the newest
 * request waits (older waiting ones are answered as superseded), so a stream of updates
 * (pages arriving) never queues up stale layouts.
 */

export interface LayoutRequest {
  seq: number;
  direction: 'RIGHT' | 'DOWN';
  /** room between layers, for the edge labels */
  layerGap: number;
  nodes: { id: string; width: number; height: number; layer?: 'FIRST' | 'LAST' }[];
  edges: { id: string; source: string; target: string }[];
}

export interface LayoutResponse {
  seq: number;
  positions: Record<string, { x: number; y: number }>;
  ms: number;
  error?: string;
  /** a newer request replaced this one before it ran */
  superseded?: boolean;
}

let worker: Worker | null = null;
let seq = 0;
let running: { seq: number; done: (r: LayoutResponse) => void } | null = null;
let waiting: { req: LayoutRequest; done: (r: LayoutResponse) => void } | null = null;

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), {
      type: 'module',
      name: 'elk-layout',
    });
    worker.onmessage = (ev: MessageEvent<LayoutResponse>) => {
      const r = running;
      running = null;
      if (r && r.seq === ev.data.seq) r.done(ev.data);
      next();
    };
    worker.onerror = (ev) => {
      const r = running;
      running = null;
      worker?.terminate();
      worker = null;
      r?.done({ seq: r.seq, positions: {}, ms: 0, error: ev.message || 'layout worker failed' });
      next();
    };
  }
  return worker;
}

function next() {
  if (running || !waiting) return;
  const { req, done } = waiting;
  waiting = null;
  running = { seq: req.seq, done };
  getWorker().postMessage(req);
}

export function layout(req: Omit<LayoutRequest, 'seq'>): Promise<LayoutResponse> {
  const s = ++seq;
  return new Promise((resolve) => {
    if (waiting) waiting.done({ seq: waiting.req.seq, positions: {}, ms: 0, superseded: true });
    waiting = { req: { ...req, seq: s }, done: resolve };
    next();
  });
}

/** Starts the worker and loads ELK before the first real layout is needed. */
export function warmUpLayout(): void {
  void layout({ direction: 'RIGHT', layerGap: 50, nodes: [{ id: 'a', width: 10, height: 10 }], edges: [] });
}

/**
 * A cheap layered placement (longest-path ranks, left to right) for small graphs, drawn at
 * once while ELK loads and runs in the worker; ELK's result replaces it.
 */
export function quickLayout(req: Omit<LayoutRequest, 'seq'>): Record<string, { x: number; y: number }> {
  const rank = new Map<string, number>(req.nodes.map((n) => [n.id, 0]));
  const out = new Map<string, string[]>();
  const indeg = new Map<string, number>(req.nodes.map((n) => [n.id, 0]));
  for (const e of req.edges) {
    if (!rank.has(e.source) || !rank.has(e.target) || e.source === e.target) continue;
    out.get(e.source)?.push(e.target) ?? out.set(e.source, [e.target]);
    indeg.set(e.target, (indeg.get(e.target) ?? 0) + 1);
  }
  // Kahn's order; nodes left in cycles keep rank 0
  const queue = [...indeg].filter(([, d]) => d === 0).map(([id]) => id);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const t of out.get(id) ?? []) {
      rank.set(t, Math.max(rank.get(t)!, rank.get(id)! + 1));
      const d = indeg.get(t)! - 1;
      indeg.set(t, d);
      if (d === 0) queue.push(t);
    }
  }
  const widest = Math.max(60, ...req.nodes.map((n) => n.width));
  const layers = new Map<number, typeof req.nodes>();
  for (const n of req.nodes) {
    const r = rank.get(n.id)!;
    layers.get(r)?.push(n) ?? layers.set(r, [n]);
  }
  const pos: Record<string, { x: number; y: number }> = {};
  for (const [r, ns] of layers)
    ns.forEach((n, i) => {
      pos[n.id] = { x: r * (widest + req.layerGap), y: (i - (ns.length - 1) / 2) * 50 };
    });
  return pos;
}
