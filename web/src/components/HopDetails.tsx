import type { ReactNode } from 'react';
import type { GEdge } from '../api';
import { edgeLabel, shortName } from '../model';

/** Glob match as IAM does it: `*` any run, `?` one character, case-insensitive. */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(value);
}

/** Does this string in the excerpt explain the hop: an action, the holder or the target? */
function matches(value: string, edge: GEdge): boolean {
  if (!value) return false;
  const targets = [edge.from, edge.to, ...(edge.actions ?? [])];
  if (value.includes('*') || value.includes('?')) return targets.some((t) => globMatch(value, t));
  const v = value.toLowerCase();
  return (
    targets.some((t) => t.toLowerCase() === v) || (edge.kind === 'HAS_ACCESS' && v === edge.to.toLowerCase())
  );
}

const CONDITION_KEYS = new Set(['condition', 'conditions']);

/** Pretty-printed JSON with the parts that explain the hop marked. */
export function JsonExcerpt({ value, edge }: { value: unknown; edge: GEdge }) {
  const out: ReactNode[] = [];
  let key = 0;
  const ind = (n: number) => '  '.repeat(n);
  const walk = (v: unknown, depth: number, hot: boolean, cond: boolean): ReactNode => {
    if (v === null || typeof v !== 'object') {
      const text = JSON.stringify(v);
      const hit = typeof v === 'string' && matches(v, edge);
      const cls = cond
        ? 'json-cond'
        : hit || hot
          ? 'json-hit'
          : typeof v === 'string'
            ? 'json-str'
            : 'json-lit';
      return (
        <span key={key++} className={cls} {...(hit ? { 'data-match': 'true' } : {})}>
          {text}
        </span>
      );
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return (
        <span key={key++}>
          {'[\n'}
          {v.map((x, i) => (
            <span key={key++}>
              {ind(depth + 1)}
              {walk(x, depth + 1, hot, cond)}
              {i < v.length - 1 ? ',\n' : '\n'}
            </span>
          ))}
          {ind(depth)}]
        </span>
      );
    }
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return (
      <span key={key++}>
        {'{\n'}
        {entries.map(([k, x], i) => {
          const isCond = cond || (CONDITION_KEYS.has(k.toLowerCase()) && edge.conditional);
          return (
            <span key={key++}>
              {ind(depth + 1)}
              <span className={isCond ? 'json-cond json-key' : 'json-key'}>{JSON.stringify(k)}</span>
              {': '}
              {walk(x, depth + 1, hot, isCond)}
              {i < entries.length - 1 ? ',\n' : '\n'}
            </span>
          );
        })}
        {ind(depth)}
        {'}'}
      </span>
    );
  };
  out.push(walk(value, 0, false, false));
  return (
    <pre className="json" data-testid="excerpt">
      {out}
    </pre>
  );
}

interface Props {
  edge: GEdge;
  names: (id: string) => string;
  onNode?: (id: string) => void;
  onClose(): void;
}

export function HopDetails({ edge, names, onNode, onClose }: Props) {
  return (
    <section className="hop" aria-label="Why this hop exists" data-testid="hop-details">
      <header>
        <h3>
          <span className={`badge edge-${edge.kind}`}>{edge.kind}</span> {edgeLabel(edge)}
        </h3>
        <button
          type="button"
          className="icon"
          onClick={onClose}
          aria-label="Close hop details"
          title="Close (Esc)"
        >
          ×
        </button>
      </header>
      <p className="hop-ends">
        <button type="button" className="link" onClick={() => onNode?.(edge.from)} title={edge.from}>
          {names(edge.from)}
        </button>{' '}
        →{' '}
        <button type="button" className="link" onClick={() => onNode?.(edge.to)} title={edge.to}>
          {names(edge.to)}
        </button>
      </p>
      {edge.via ? (
        <dl className="via" data-testid="via">
          <dt>granted by</dt>
          <dd>
            <strong data-testid="via-label">{edge.via.label}</strong>
            <div className="mono small">{edge.via.ref}</div>
          </dd>
          {edge.via.statement !== null && (
            <>
              <dt>statement</dt>
              <dd className="mono">{edge.via.statement}</dd>
            </>
          )}
        </dl>
      ) : (
        <p className="muted">
          {edge.kind === 'CONTAINS'
            ? `${shortName(edge.to)} sits inside ${shortName(edge.from)}: grants on the container reach it.`
            : edge.kind === 'MEMBER_OF'
              ? 'Group membership: the member holds everything the group holds.'
              : 'No policy statement recorded for this hop.'}
        </p>
      )}
      {edge.actions && edge.actions.length > 0 && (
        <div>
          <h4>
            actions ({edge.actions.length}){edge.levels?.length ? ` · ${edge.levels.join(', ')}` : ''}
          </h4>
          <p className="mono small actions">
            {edge.actions.slice(0, 60).join(' ')}
            {edge.actions.length > 60 ? ' …' : ''}
          </p>
        </div>
      )}
      {edge.technique && (
        <p>
          <strong>technique:</strong> <span className="mono">{edge.technique}</span>
        </p>
      )}
      {edge.conditional && (
        <div className="cond-box">
          <h4>conditional: decided only at request time</h4>
          {edge.conditions !== null && edge.conditions !== undefined && (
            <JsonExcerpt value={edge.conditions} edge={edge} />
          )}
        </div>
      )}
      {edge.via?.excerpt !== null && edge.via?.excerpt !== undefined && (
        <div>
          <h4>
            statement <span className="legend-hit">matched</span>
            {edge.conditional && <span className="legend-cond">condition</span>}
          </h4>
          <JsonExcerpt value={edge.via.excerpt} edge={edge} />
        </div>
      )}
      {edge.source && <p className="mono small muted">source {edge.source}</p>}
    </section>
  );
}
