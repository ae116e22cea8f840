import { useEffect, useMemo, useRef, useState } from 'react';
import { type GEdge, type GNode, gql, Q } from '../api';
import { ExportButtons } from '../components/ExportButtons';
import { type GraphHandle, GraphView } from '../components/GraphView';
import { HopDetails } from '../components/HopDetails';
import { Search } from '../components/Search';
import { Empty, ErrorBox, Loading } from '../components/States';
import { slug } from '../export';
import { buildPathsGraph, shortName } from '../model';
import type { Route } from '../route';
import { useExpansion } from '../useExpansion';

interface Props {
  route: Route;
  go(r: Route, opts?: { replace?: boolean }): void;
  theme: 'light' | 'dark';
}

interface PathResult {
  paths: GEdge[][];
  nodes: GNode[];
  truncated: boolean;
}

export function PathView({ route, go, theme }: Props) {
  const { from, to } = route;
  const [res, setRes] = useState<{
    status: 'idle' | 'loading' | 'done' | 'error';
    data?: PathResult;
    error?: string;
  }>({ status: 'idle' });
  const graphRef = useRef<GraphHandle>(null);
  const set = (patch: Partial<Route>, replace = true) => go({ ...route, ...patch }, { replace });

  useEffect(() => {
    if (!from || !to) {
      setRes({ status: 'idle' });
      return;
    }
    const ctl = new AbortController();
    setRes({ status: 'loading' });
    gql<{ paths: PathResult }>(Q.paths, { from, to, k: 5, maxHops: 10 }, ctl.signal)
      .then((d) => setRes({ status: 'done', data: d.paths }))
      .catch((err: Error) => {
        if (!ctl.signal.aborted) setRes({ status: 'error', error: err.message });
      });
    return () => ctl.abort();
  }, [from, to]);

  const base = useMemo(
    () => buildPathsGraph(res.data?.paths ?? [], res.data?.nodes ?? [], from ?? '', to ?? ''),
    [res.data, from, to],
  );
  const exp = useExpansion(base, `path|${from}|${to}`);
  const graph = exp.graph;
  const nodeById = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  const edgeById = useMemo(() => new Map(graph.edges.map((e) => [e.id, e])), [graph]);
  const names = (id: string) => nodeById.get(id)?.label ?? shortName(id);
  const hop = route.hop ? (edgeById.get(route.hop)?.edge ?? null) : null;
  const pathIdx = route.sel ? Number(route.sel) : -1;
  const selPath = res.data?.paths[pathIdx] ?? null;
  const highlight = useMemo(() => {
    const s = new Set<string>();
    for (const e of selPath ?? []) {
      s.add(e.id);
      s.add(e.from);
      s.add(e.to);
    }
    if (hop) {
      s.add(hop.id);
      s.add(hop.from);
      s.add(hop.to);
    }
    return s;
  }, [selPath, hop]);

  return (
    <div className="path-view" data-testid="view-path">
      <div className="view-head">
        <h2>Paths between two nodes</h2>
        <div className="filters">
          <div className="field">
            from
            <Search
              label="Path start"
              placeholder="a principal…"
              initial={from ? shortName(from) : ''}
              onPick={(h) => set({ from: h.node.id, sel: undefined, hop: undefined }, false)}
              testId="path-from"
            />
          </div>
          <div className="field">
            to
            <Search
              label="Path end"
              placeholder="a resource…"
              initial={to ? shortName(to) : ''}
              onPick={(h) => set({ to: h.node.id, sel: undefined, hop: undefined }, false)}
              testId="path-to"
            />
          </div>
        </div>
      </div>
      {res.status === 'idle' && (
        <Empty title="Pick both ends">
          Search a start (usually a principal) and an end (a resource or scope).
        </Empty>
      )}
      {res.status === 'loading' && <Loading what="finding the shortest paths" />}
      {res.status === 'error' && <ErrorBox message={res.error ?? ''} />}
      {res.status === 'done' && res.data && res.data.paths.length === 0 && (
        <Empty title="No path">
          {names(from!)} cannot reach {names(to!)} within 10 hops
          {res.data.truncated ? ' (the search timed out; the answer may be incomplete)' : ''}.
        </Empty>
      )}
      {res.status === 'done' && res.data && res.data.paths.length > 0 && (
        <div className={`access-body${hop ? ' with-panel' : ''}`}>
          <div className="list-pane">
            <ol className="path-list">
              {res.data.paths.map((p, i) => (
                <li key={p.map((e) => e.id).join('>')}>
                  <button
                    type="button"
                    className={`path-item${i === pathIdx ? ' active' : ''}`}
                    onClick={() => set({ sel: String(i), hop: undefined })}
                  >
                    path {i + 1}: {p.length} hop{p.length === 1 ? '' : 's'}
                  </button>
                  <ol className="hops">
                    {p.map((e) => (
                      <li key={e.id}>
                        <button
                          type="button"
                          className={`hop-btn${route.hop === e.id ? ' active' : ''}${e.conditional ? ' cond' : ''}`}
                          onClick={() => set({ sel: String(i), hop: e.id })}
                          data-testid="hop-button"
                        >
                          <span className="hop-from">{names(e.from)}</span>
                          <span className={`badge edge-${e.kind}`}>
                            {e.kind.replace('_', ' ').toLowerCase()}
                          </span>
                          {e.via && <span className="hop-via">{e.via.label}</span>}
                          <span className="hop-to">→ {names(e.to)}</span>
                        </button>
                      </li>
                    ))}
                  </ol>
                </li>
              ))}
            </ol>
            {res.data.truncated && (
              <p className="warn pad">The search ran out of time; longer paths may exist.</p>
            )}
          </div>
          <div className="graph-pane">
            <div className="graph-tools" role="toolbar" aria-label="Graph tools">
              <button type="button" onClick={() => graphRef.current?.fit()}>
                Fit
              </button>
              <button
                type="button"
                disabled={!route.hop}
                onClick={() => route.hop && graphRef.current?.focus(route.hop)}
              >
                Focus
              </button>
              <span className="sep" />
              <ExportButtons
                graphRef={graphRef}
                base={`paths-${slug(names(from!))}-${slug(names(to!))}`}
                data={() => ({ from, to, ...res.data })}
              />
            </div>
            <GraphView
              ref={graphRef}
              graph={graph}
              theme={theme}
              highlight={highlight}
              selected={route.hop ?? null}
              onNode={() => {}}
              onEdge={(id) => set({ hop: id })}
              onBackground={() => set({ hop: undefined, sel: undefined })}
              onExpand={(id) => void exp.expand(id)}
              onCollapse={(id) => exp.collapse(nodeById.get(id)?.expandedFrom ?? id)}
              label={`Paths from ${names(from!)} to ${names(to!)}`}
            />
          </div>
          {hop && (
            <aside className="panel" aria-label="Details">
              <HopDetails edge={hop} names={names} onClose={() => set({ hop: undefined })} />
            </aside>
          )}
        </div>
      )}
    </div>
  );
}
