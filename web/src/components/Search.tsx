import { useEffect, useId, useRef, useState } from 'react';
import { gql, Q, type SearchHit } from '../api';

interface Props {
  placeholder: string;
  onPick(hit: SearchHit): void;
  /** keyboard shortcut '/' focuses this box */
  global?: boolean;
  label: string;
  initial?: string;
  testId?: string;
}

export function Search({ placeholder, onPick, global, label, initial, testId }: Props) {
  const [text, setText] = useState(initial ?? '');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [state, setState] = useState<'idle' | 'loading' | 'error'>('idle');
  const [error, setError] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();

  useEffect(() => {
    if (!global) return;
    const on = (ev: KeyboardEvent) => {
      const t = ev.target as HTMLElement | null;
      const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');
      if (ev.key === '/' && !typing) {
        ev.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, [global]);

  useEffect(() => {
    const q = text.trim();
    if (!q) {
      setHits([]);
      setState('idle');
      return;
    }
    const ctl = new AbortController();
    const t = setTimeout(() => {
      setState('loading');
      gql<{ search: SearchHit[] }>(Q.search, { text: q, first: 15 }, ctl.signal)
        .then((d) => {
          setHits(d.search);
          setActive(0);
          setState('idle');
        })
        .catch((err: Error) => {
          if (err.name === 'AbortError') return;
          setState('error');
          setError(err.message);
        });
    }, 120);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [text]);

  const pick = (h: SearchHit | undefined) => {
    if (!h) return;
    setOpen(false);
    setText(h.node.name);
    onPick(h);
  };

  const onKey = (ev: React.KeyboardEvent) => {
    if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(hits.length - 1, a + 1));
    } else if (ev.key === 'ArrowUp') {
      ev.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      pick(hits[active]);
    } else if (ev.key === 'Escape') {
      if (open) setOpen(false);
      else input.current?.blur();
    }
  };

  const show = open && text.trim().length > 0;
  return (
    <div className="search">
      <input
        ref={input}
        type="search"
        role="combobox"
        aria-label={label}
        aria-expanded={show}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={show && hits[active] ? `${listId}-${active}` : undefined}
        placeholder={placeholder}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKey}
        data-testid={testId ?? 'search'}
      />
      {show && (
        <div className="search-pop">
          {state === 'loading' && hits.length === 0 && <div className="muted pad">searching…</div>}
          {state === 'error' && <div className="error pad">{error}</div>}
          {state === 'idle' && hits.length === 0 && (
            <div className="muted pad">nothing matches “{text.trim()}”</div>
          )}
          <div id={listId} role="listbox" aria-label={`${label} results`}>
            {hits.map((h, i) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard handled by the combobox
              <div
                key={h.node.id}
                tabIndex={-1}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : ''}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => pick(h)}
                data-testid="search-hit"
              >
                <span className={`kind kind-${h.node.kind}`}>{h.node.type ?? h.node.kind}</span>
                <span className="hit-name">{h.node.name}</span>
                <span className="hit-id mono">{h.node.id}</span>
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
