import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { layout, quickLayout } from '../layout';
import type { VGraph } from '../model';

export interface GraphHandle {
  fit(): void;
  focus(id: string): void;
  png(): string | null;
  /** the last layout time in ms (for the scale check) */
  stats(): { layoutMs: number; nodes: number; edges: number };
}

interface Props {
  graph: VGraph;
  theme: 'light' | 'dark';
  highlight: ReadonlySet<string>;
  /** fade what is not highlighted (default); off where every element drawn matters */
  dimOthers?: boolean;
  selected: string | null;
  onNode(id: string): void;
  onEdge(id: string): void;
  onBackground(): void;
  onExpand?(id: string): void;
  onCollapse?(id: string): void;
  label: string;
}

const css = (name: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

const KIND_COLOR: Record<string, string> = {
  User: '--k-user',
  Group: '--k-group',
  Role: '--k-role',
  ServiceAccount: '--k-role',
  ServicePrincipal: '--k-role',
  ManagedIdentity: '--k-role',
  External: '--k-external',
  Resource: '--k-resource',
  Cluster: '--k-cluster',
};

const SHAPE: Record<string, string> = {
  User: 'ellipse',
  Group: 'round-rectangle',
  Role: 'round-hexagon',
  ServiceAccount: 'round-hexagon',
  ServicePrincipal: 'round-hexagon',
  ManagedIdentity: 'round-hexagon',
  External: 'round-octagon',
  Resource: 'barrel',
  Cluster: 'round-rectangle',
};

function nodeSize(label: string, role: string) {
  const w = Math.min(240, Math.max(60, 18 + label.length * 7));
  return { w, h: role === 'cluster' ? 44 : 32 };
}

function styles(): cytoscape.StylesheetJson {
  const fg = css('--fg');
  const bg = css('--bg');
  const edge = css('--edge');
  return [
    {
      selector: 'node',
      style: {
        shape: 'data(shape)' as never,
        width: 'data(w)',
        height: 'data(h)',
        'background-color': 'data(color)',
        'background-opacity': 0.18,
        'border-width': 1.5,
        'border-color': 'data(color)',
        label: 'data(label)',
        color: fg,
        'font-size': 11,
        'text-valign': 'center',
        'text-halign': 'center',
        // labels are cut to fit in toElements: measuring ellipses per frame is slow in cytoscape
        'text-wrap': 'none',
        'min-zoomed-font-size': 7,
      },
    },
    {
      selector: 'node[role = "anchor"]',
      style: { 'border-width': 3, 'font-weight': 'bold', 'background-opacity': 0.35 },
    },
    {
      selector: 'node[role = "cluster"]',
      style: {
        'border-style': 'double',
        'border-width': 4,
        'font-weight': 'bold',
        'background-opacity': 0.28,
      },
    },
    {
      selector: 'edge',
      style: {
        width: 1.4,
        'line-color': edge,
        'target-arrow-color': edge,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        'curve-style': 'bezier',
        label: 'data(label)',
        'font-size': 9,
        color: fg,
        'text-background-color': bg,
        'text-background-opacity': 0.85,
        'text-background-padding': '1px',
        'text-rotation': 'autorotate',
        'min-zoomed-font-size': 8,
      },
    },
    {
      selector: 'edge[kind = "HAS_ACCESS"]',
      style: { width: 2.2, 'line-color': css('--e-access'), 'target-arrow-color': css('--e-access') },
    },
    { selector: 'edge[?conditional]', style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 4] } },
    {
      selector: 'edge[?crossAccount]',
      style: {
        'line-color': css('--e-cross'),
        'target-arrow-color': css('--e-cross'),
        'target-arrow-shape': 'diamond',
      },
    },
    {
      selector: 'edge[?escalation]',
      style: { 'line-color': css('--e-escalate'), 'target-arrow-color': css('--e-escalate'), width: 3 },
    },
    { selector: 'edge[count > 1]', style: { width: 'mapData(count, 2, 2000, 2.5, 9)' as never } },
    { selector: '.dim', style: { opacity: 0.18 } },
    { selector: '.pending', style: { opacity: 0 } },
    { selector: 'node.hl', style: { 'border-width': 3, 'background-opacity': 0.45 } },
    { selector: 'edge.hl', style: { width: 3.5, 'z-index': 10 } },
    {
      selector: ':selected',
      style: { 'overlay-color': css('--accent'), 'overlay-opacity': 0.25, 'overlay-padding': 6 },
    },
  ];
}

/** Cuts a label to about `px` pixels at the node font size. */
function clip(label: string, px: number): string {
  const max = Math.max(4, Math.floor(px / 6.6));
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

function toElements(g: VGraph): ElementDefinition[] {
  const els: ElementDefinition[] = [];
  for (const n of g.nodes) {
    const { w, h } = nodeSize(n.label, n.role);
    els.push({
      group: 'nodes',
      data: {
        id: n.id,
        label: clip(n.label, w - 12),
        kind: n.kind,
        role: n.role,
        count: n.count ?? 0,
        w,
        h,
        shape: SHAPE[n.kind] ?? (n.role === 'anchor' ? 'barrel' : 'rectangle'),
        color: css(KIND_COLOR[n.kind] ?? '--k-scope'),
      },
    });
  }
  for (const e of g.edges)
    els.push({
      group: 'edges',
      data: {
        id: e.id,
        source: e.source,
        target: e.target,
        label: e.label.length > 30 ? `${e.label.slice(0, 28)}…` : e.label,
        kind: e.kind,
        conditional: e.conditional,
        escalation: e.escalation,
        crossAccount: e.crossAccount,
        count: e.count ?? 1,
      },
    });
  return els;
}

export const GraphView = forwardRef<GraphHandle, Props>(function GraphView(props, ref) {
  const box = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const handlers = useRef(props);
  handlers.current = props;
  const [busy, setBusy] = useState(false);
  const [layoutError, setLayoutError] = useState<string | null>(null);
  const stats = useRef({ layoutMs: 0, nodes: 0, edges: 0 });
  const latest = useRef(0);
  const laidOut = useRef('');

  useEffect(() => {
    const cy = cytoscape({
      container: box.current!,
      style: styles(),
      minZoom: 0.05,
      maxZoom: 3,
      textureOnViewport: true,
      motionBlur: false,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    cy.on('tap', 'node', (ev) => handlers.current.onNode(ev.target.id()));
    cy.on('tap', 'edge', (ev) => handlers.current.onEdge(ev.target.id()));
    cy.on('tap', (ev) => {
      if (ev.target === cy) handlers.current.onBackground();
    });
    cy.on('dbltap', 'node', (ev) => handlers.current.onExpand?.(ev.target.id()));
    cyRef.current = cy;
    // the canvas is keyboard-operable (arrows, Enter, +/-, period/comma): make it a tab stop
    box.current!.tabIndex = 0;
    // the pane changes size when the side panel opens: keep the drawing in view
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        cy.resize();
        if (cy.nodes().nonempty()) cy.fit(undefined, 30);
      });
    });
    ro.observe(box.current!);
    (window as unknown as { __cy?: Core }).__cy = cy;
    return () => {
      ro.disconnect();
      cancelAnimationFrame(frame);
      cy.destroy();
      cyRef.current = null;
    };
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the styles read CSS variables that the theme switches
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.style(styles());
    // colors are resolved from CSS variables: refresh them
    cy.nodes().forEach((n) => {
      n.data('color', css(KIND_COLOR[n.data('kind') as string] ?? '--k-scope'));
    });
  }, [props.theme]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const g = props.graph;
    const els = toElements(g);
    const want = new Set(els.map((e) => e.data.id!));
    const before = new Map<string, { x: number; y: number }>();
    cy.nodes().forEach((n) => {
      before.set(n.id(), { ...n.position() });
    });
    cy.batch(() => {
      cy.elements().forEach((el) => {
        if (!want.has(el.id())) el.remove();
      });
      const add: ElementDefinition[] = [];
      for (const el of els) {
        const have = cy.getElementById(el.data.id!);
        if (have.nonempty()) have.data(el.data);
        else add.push(el);
      }
      // new elements stay invisible until the worker has placed them
      cy.add(add).addClass('pending');
    });
    stats.current.nodes = g.nodes.length;
    stats.current.edges = g.edges.length;
    if (g.nodes.length === 0) return;
    // same nodes and edges as the last layout (only labels or counts changed): keep positions
    const shape = `${g.nodes.map((n) => n.id).join('\n')}\n--\n${g.edges.map((e) => e.id).join('\n')}`;
    if (shape === laidOut.current && cy.$('.pending').empty()) return;
    const mine = ++latest.current;
    setBusy(true);
    setLayoutError(null);
    const req = {
      direction: 'RIGHT',
      layerGap: Math.min(
        190,
        Math.max(70, 30 + 5.5 * Math.min(30, Math.max(0, ...g.edges.map((e) => e.label.length)))),
      ),
      nodes: g.nodes.map((n) => {
        const { w, h } = nodeSize(n.label, n.role);
        return { id: n.id, width: w, height: h };
      }),
      edges: g.edges.map((e) => ({ id: e.id, source: e.source, target: e.target })),
    } satisfies Parameters<typeof layout>[0];
    if (g.nodes.length <= 300) {
      // draw at once with a cheap placement; ELK's layout replaces it when the worker answers
      const quick = quickLayout(req);
      cy.batch(() => {
        cy.nodes('.pending').positions(
          (n: NodeSingular) => quick[n.id()] ?? before.get(n.id()) ?? { x: 0, y: 0 },
        );
        cy.elements().removeClass('pending');
      });
      if (before.size === 0) cy.fit(undefined, 30);
    }
    layout(req).then((res) => {
      if (res.superseded || mine !== latest.current || !cyRef.current) return;
      stats.current.layoutMs = res.ms;
      setBusy(false);
      laidOut.current = shape;
      if (res.error) {
        setLayoutError(res.error);
        cy.elements().removeClass('pending');
        cy.layout({ name: 'breadthfirst', directed: true }).run();
        return;
      }
      cy.batch(() => {
        cy.nodes().positions(
          (n: NodeSingular) => res.positions[n.id()] ?? before.get(n.id()) ?? { x: 0, y: 0 },
        );
        cy.elements().removeClass('pending');
      });
      cy.fit(undefined, 30);
    });
  }, [props.graph]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-apply the highlight after the graph changes
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.elements().removeClass('hl dim');
      if (props.highlight.size) {
        cy.elements().forEach((el) => {
          if (props.highlight.has(el.id())) el.addClass('hl');
          else if (props.dimOthers !== false) el.addClass('dim');
        });
      }
      cy.elements().unselect();
      if (props.selected) cy.getElementById(props.selected).select();
    });
  }, [props.highlight, props.selected, props.graph, props.dimOthers]);

  // f: fit, z: focus the selection (when not typing)
  useEffect(() => {
    const on = (ev: KeyboardEvent) => {
      const t = ev.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      const cy = cyRef.current;
      if (!cy) return;
      if (ev.key === 'f') cy.fit(undefined, 30);
      else if (ev.key === 'z' && handlers.current.selected) {
        const el = cy.getElementById(handlers.current.selected);
        if (el.nonempty())
          cy.animate({ fit: { eles: el.closedNeighborhood(), padding: 60 } }, { duration: 250 });
      }
    };
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, []);

  useImperativeHandle(ref, () => ({
    fit: () => cyRef.current?.fit(undefined, 30),
    focus: (id: string) => {
      const cy = cyRef.current;
      const el = cy?.getElementById(id);
      if (!cy || !el || el.empty()) return;
      cy.animate({ fit: { eles: el.closedNeighborhood(), padding: 60 } }, { duration: 250 });
    },
    png: () => {
      const cy = cyRef.current;
      if (!cy) return null;
      return cy.png({ full: true, scale: 2, bg: css('--bg'), output: 'base64uri' });
    },
    stats: () => ({ ...stats.current }),
  }));

  const onKey = (ev: React.KeyboardEvent) => {
    const cy = cyRef.current;
    if (!cy || cy.nodes().empty()) return;
    const cur = props.selected ? cy.getElementById(props.selected) : cy.collection();
    const pick = (id: string | undefined) => {
      if (!id) return;
      ev.preventDefault();
      handlers.current.onNode(id);
      cy.animate({ center: { eles: cy.getElementById(id) } }, { duration: 150 });
    };
    const pos = cur.nonempty() && cur.isNode() ? cur.position() : null;
    const nearest = (filter: (p: { x: number; y: number }) => boolean) => {
      let best: string | undefined;
      let bestD = Number.POSITIVE_INFINITY;
      cy.nodes().forEach((n) => {
        const p = n.position();
        if (n.id() === cur.id() || !filter(p)) return;
        const d = pos ? (p.x - pos.x) ** 2 + (p.y - pos.y) ** 2 * 0.5 : p.x + p.y;
        if (d < bestD) {
          bestD = d;
          best = n.id();
        }
      });
      return best;
    };
    switch (ev.key) {
      case 'ArrowRight':
        return pick(pos ? nearest((p) => p.x > pos.x + 5) : nearest(() => true));
      case 'ArrowLeft':
        return pick(pos ? nearest((p) => p.x < pos.x - 5) : nearest(() => true));
      case 'ArrowDown':
        return pick(
          pos ? nearest((p) => p.y > pos.y + 5 && Math.abs(p.x - pos.x) < 60) : nearest(() => true),
        );
      case 'ArrowUp':
        return pick(
          pos ? nearest((p) => p.y < pos.y - 5 && Math.abs(p.x - pos.x) < 60) : nearest(() => true),
        );
      case 'Enter':
      case '+':
        if (cur.nonempty() && cur.isNode()) {
          ev.preventDefault();
          handlers.current.onExpand?.(cur.id());
        }
        return;
      case '-':
        if (cur.nonempty() && cur.isNode()) handlers.current.onCollapse?.(cur.id());
        return;
      case '.':
      case ',': {
        // cycle through the hops touching the selected node
        const node = cur.nonempty() && cur.isEdge() ? cur.source() : cur;
        const hops = node.nonempty() ? node.connectedEdges() : cy.edges();
        if (hops.empty()) return;
        const ids = hops.map((e) => e.id());
        const at = cur.nonempty() && cur.isEdge() ? ids.indexOf(cur.id()) : -1;
        const next = ids[(at + (ev.key === '.' ? 1 : ids.length - 1)) % ids.length];
        ev.preventDefault();
        if (next) handlers.current.onEdge(next);
        return;
      }
    }
  };

  return (
    <div className="graph-wrap">
      <div
        ref={box}
        className="graph"
        role="application"
        aria-label={`${props.label}. Arrow keys move between nodes, Enter or + expands, minus collapses, period and comma step through hops.`}
        onKeyDown={onKey}
        data-layout={busy ? 'busy' : 'done'}
        data-testid="graph"
      />
      {busy && (
        <div className="graph-status" role="status">
          laying out {props.graph.nodes.length.toLocaleString('en-US')} nodes…
        </div>
      )}
      {layoutError && (
        <div className="graph-status error">layout failed ({layoutError}); showing a simple layout</div>
      )}
    </div>
  );
});
