/**
 * ELK layered layout, off the main thread. elk.bundled runs ELK's own fake worker here
 * (inside this real one); our onmessage is set after it loads and replaces its handler.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { LayoutRequest, LayoutResponse } from './layout';

const elk = new ELK();
const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(msg: LayoutResponse): void;
};

scope.onmessage = async (ev: MessageEvent<LayoutRequest>) => {
  const req = ev.data;
  const t0 = performance.now();
  try {
    const res = await elk.layout({
      id: 'root',
      layoutOptions: {
        'elk.algorithm': 'layered',
        'elk.direction': req.direction,
        'elk.spacing.nodeNode': '14',
        'elk.layered.spacing.nodeNodeBetweenLayers': String(req.layerGap),
        'elk.layered.spacing.edgeNodeBetweenLayers': '20',
        'elk.layered.nodePlacement.strategy': req.nodes.length > 400 ? 'SIMPLE' : 'BRANDES_KOEPF',
        'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
        'elk.layered.thoroughness': req.nodes.length > 400 ? '1' : '7',
        'elk.separateConnectedComponents': 'true',
        'elk.edgeRouting': 'POLYLINE',
      },
      children: req.nodes.map((n) => ({
        id: n.id,
        width: n.width,
        height: n.height,
        ...(n.layer !== undefined
          ? { layoutOptions: { 'elk.layered.layering.layerConstraint': n.layer } }
          : {}),
      })),
      edges: req.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
    });
    const positions: Record<string, { x: number; y: number }> = {};
    for (const c of res.children ?? [])
      positions[c.id] = { x: (c.x ?? 0) + (c.width ?? 0) / 2, y: (c.y ?? 0) + (c.height ?? 0) / 2 };
    scope.postMessage({ seq: req.seq, positions, ms: performance.now() - t0 });
  } catch (err) {
    scope.postMessage({ seq: req.seq, positions: {}, ms: performance.now() - t0, error: String(err) });
  }
};
