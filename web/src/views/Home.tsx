import { useEffect, useState } from 'react';
import { gql } from '../api';
import { Search } from '../components/Search';
import { ErrorBox, Loading } from '../components/States';
import { isPrincipal } from '../model';
import type { Route } from '../route';

interface Source {
  id: string;
  cloud: string;
  loadedAt: string;
  nodeCount: number;
  edgeCount: number;
}

export function Home({ go }: { go(r: Route): void }) {
  const [sources, setSources] = useState<Source[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    gql<{ sources: Source[] }>('query Sources { sources { id cloud loadedAt nodeCount edgeCount } }')
      .then((d) => setSources(d.sources))
      .catch((e: Error) => setError(e.message));
  }, []);
  return (
    <div className="home" data-testid="view-home">
      <h2>Who can reach this resource, and how?</h2>
      <p>
        Search a bucket, key vault, project, role or user. Resources open “who can reach”, principals open
        “what can it reach”.
      </p>
      <div className="home-search">
        <Search
          label="Search the graph"
          placeholder="Search resources and principals…"
          onPick={(h) => go({ view: isPrincipal(h.node.kind) ? 'reach' : 'who', id: h.node.id })}
          testId="home-search"
        />
      </div>
      <p className="muted small">
        Keys: <kbd>/</kbd> search · <kbd>↑</kbd>
        <kbd>↓</kbd> move · <kbd>Enter</kbd> open · <kbd>Esc</kbd> close · in the graph: arrows move,{' '}
        <kbd>+</kbd>/<kbd>-</kbd> expand and collapse, <kbd>.</kbd> <kbd>,</kbd> step through hops,{' '}
        <kbd>f</kbd> fit
      </p>
      <h3>Loaded sources</h3>
      {error && <ErrorBox message={error} />}
      {!sources && !error && <Loading what="reading sources" />}
      {sources && sources.length === 0 && (
        <p className="muted">
          Nothing is loaded yet: run <code>accessgraph ingest PATH</code>.
        </p>
      )}
      {sources && sources.length > 0 && (
        <table className="sources">
          <thead>
            <tr>
              <th>source</th>
              <th>cloud</th>
              <th>nodes</th>
              <th>edges</th>
              <th>loaded</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => (
              <tr key={s.id}>
                <td className="mono">{s.id}</td>
                <td>{s.cloud}</td>
                <td>{s.nodeCount.toLocaleString('en-US')}</td>
                <td>{s.edgeCount.toLocaleString('en-US')}</td>
                <td>{new Date(s.loadedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
