/**
 * A finding's path, as the findings view and the reports page both show it: the graph with
 * its toolbar, and the list of hops with the open hop explained. Report items are turned
 * into findings (reports.ts itemAsFinding), so one drawing serves both.
 */
import { type ReactNode, useMemo, useRef } from 'react';
import type { Finding, GEdge } from '../api';
import { findingEdges, findingGraph } from '../findings';
import { isPrincipal } from '../model';
import type { Route } from '../route';
import { ExportButtons } from './ExportButtons';
import { type GraphHandle, GraphView } from './GraphView';
import { HopDetails } from './HopDetails';

/** The path graph: every element matters, so nothing is dimmed; the open hop is selected. */
export function FindingPathGraph({
  finding,
  hop,
  onHop,
  theme,
  base,
  json,
  label,
  keyHints,
}: {
  finding: Finding;
  hop: string | null;
  onHop(id: string | null): void;
  theme: 'light' | 'dark';
  /** file name stem of the PNG and JSON exports */
  base: string;
  /** what the JSON export holds */
  json: unknown;
  /** accessible name of the graph */
  label: string;
  /** the page binds f (fit) and z (focus): say so in the buttons' titles */
  keyHints?: boolean;
}) {
  const graphRef = useRef<GraphHandle>(null);
  const graph = useMemo(() => findingGraph(finding), [finding]);
  // the open hop's two ends are outlined
  const highlight = useMemo(() => {
    const e = hop ? findingEdges(finding).find((x) => x.id === hop) : undefined;
    return new Set(e ? [e.id, e.from, e.to] : []);
  }, [hop, finding]);
  return (
    <>
      <div className="graph-tools" role="toolbar" aria-label="Graph tools">
        <button
          type="button"
          onClick={() => graphRef.current?.fit()}
          title={keyHints ? 'Fit the graph (f)' : 'Fit the graph'}
        >
          Fit
        </button>
        <button
          type="button"
          disabled={!hop}
          onClick={() => hop && graphRef.current?.focus(hop)}
          title={keyHints ? 'Zoom to the open hop (z)' : undefined}
        >
          Focus
        </button>
        <span className="sep" />
        <ExportButtons graphRef={graphRef} base={base} data={() => json} />
      </div>
      <GraphView
        ref={graphRef}
        graph={graph}
        theme={theme}
        highlight={highlight}
        dimOthers={false}
        selected={hop}
        onNode={() => {}}
        onEdge={(id) => onHop(id)}
        onBackground={() => onHop(null)}
        label={label}
      />
    </>
  );
}

/** The path's hops as buttons; the open one explained below, its nodes linked to who-can / can-reach. */
export function FindingPathHops({
  finding,
  edges,
  hop,
  onHop,
  names,
  go,
  empty,
}: {
  finding: Finding;
  edges: GEdge[];
  hop: string | null;
  onHop(id: string | null): void;
  names(id: string): string;
  go(r: Route): void;
  /** shown instead of the list when the path has no hop */
  empty: ReactNode;
}) {
  const open: GEdge | null = edges.find((e) => e.id === hop) ?? null;
  return (
    <>
      <h4>
        path, {edges.length} hop{edges.length === 1 ? '' : 's'} (click a hop for why)
      </h4>
      {edges.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <ol className="hops">
          {edges.map((e) => (
            <li key={e.id}>
              <button
                type="button"
                className={`hop-btn${hop === e.id ? ' active' : ''}${e.conditional ? ' cond' : ''}${e.kind === 'CAN_ESCALATE' ? ' esc' : ''}`}
                aria-pressed={hop === e.id}
                onClick={() => onHop(hop === e.id ? null : e.id)}
                data-testid="hop-button"
              >
                <span className="hop-from">{names(e.from)}</span>
                <span className={`badge edge-${e.kind}`}>{e.kind.replace('_', ' ').toLowerCase()}</span>
                {e.technique && <span className="mono small">{e.technique}</span>}
                {e.via && <span className="hop-via">{e.via.label}</span>}
                <span className="hop-to">→ {names(e.to)}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      {open && (
        <div className="finding-hop">
          <HopDetails
            edge={open}
            names={names}
            onNode={(id) => {
              const n = finding.pathNodes.find((x) => x.id === id);
              go({ view: n && isPrincipal(n.kind) ? 'reach' : 'who', id });
            }}
            onClose={() => onHop(null)}
          />
        </div>
      )}
    </>
  );
}
