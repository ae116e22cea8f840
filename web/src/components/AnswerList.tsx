import { useEffect, useMemo, useRef, useState } from 'react';
import type { AccessAnswer } from '../api';
import { accountOf, answerLevels, answerVia } from '../model';
import { listStep } from './list-keys';

export type Row =
  | { type: 'header'; key: string; label: string; count: number }
  | { type: 'answer'; key: string; a: AccessAnswer };

const ROW_H = 30;

interface Props {
  rows: Row[];
  selected: string | null;
  onSelect(a: AccessAnswer): void;
  mode: 'who' | 'reach';
  label: string;
}

/** Windowed list: only the rows in view are in the DOM, so 10,000 answers scroll smoothly. */
export function AnswerList({ rows, selected, onSelect, mode, label }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);
  const answerIdx = useMemo(
    () => rows.map((r, i) => (r.type === 'answer' ? i : -1)).filter((i) => i >= 0),
    [rows],
  );
  const selIdx = rows.findIndex((r) => r.type === 'answer' && r.a.node.id === selected);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // keep the selected row in view
  useEffect(() => {
    const el = box.current;
    if (!el || selIdx < 0) return;
    const y = selIdx * ROW_H;
    if (y < el.scrollTop) el.scrollTop = y;
    else if (y + ROW_H > el.scrollTop + el.clientHeight) el.scrollTop = y + ROW_H - el.clientHeight;
  }, [selIdx]);

  const first = Math.max(0, Math.floor(top / ROW_H) - 10);
  const last = Math.min(rows.length, Math.ceil((top + height) / ROW_H) + 10);

  const move = (delta: number) => {
    if (answerIdx.length === 0) return;
    let pos = answerIdx.indexOf(selIdx);
    if (pos < 0) pos = delta > 0 ? -1 : answerIdx.length;
    const next = answerIdx[Math.max(0, Math.min(answerIdx.length - 1, pos + delta))]!;
    const r = rows[next];
    if (r?.type === 'answer') onSelect(r.a);
  };
  const onKey = (ev: React.KeyboardEvent) => {
    const step = listStep(ev.key, Math.max(1, Math.floor(height / ROW_H) - 1));
    if (step !== undefined) {
      ev.preventDefault();
      move(step);
    }
  };

  if (rows.length === 0) return null;
  return (
    <div
      ref={box}
      className="answer-list"
      tabIndex={0}
      role="listbox"
      aria-label={label}
      aria-activedescendant={selIdx >= 0 ? `row-${selIdx}` : undefined}
      onKeyDown={onKey}
      onScroll={(e) => setTop(e.currentTarget.scrollTop)}
      data-testid="answer-list"
    >
      <div style={{ height: rows.length * ROW_H, position: 'relative' }}>
        {rows.slice(first, last).map((r, i) => {
          const idx = first + i;
          const style = { position: 'absolute' as const, top: idx * ROW_H, height: ROW_H, left: 0, right: 0 };
          if (r.type === 'header')
            return (
              <div key={r.key} className="row header" style={style} role="presentation">
                <span>{r.label}</span>
                <span className="muted">{r.count.toLocaleString('en-US')}</span>
              </div>
            );
          const a = r.a;
          const lv = answerLevels(a);
          return (
            // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard handled by the listbox
            <div
              key={r.key}
              id={`row-${idx}`}
              className={`row${a.node.id === selected ? ' selected' : ''}`}
              style={style}
              role="option"
              tabIndex={-1}
              aria-selected={a.node.id === selected}
              onClick={() => onSelect(a)}
              title={a.node.id}
              data-testid="answer-row"
              data-id={a.node.id}
            >
              <span className={`kind kind-${a.node.kind}`}>
                {mode === 'reach' && a.node.type ? a.node.type : a.node.kind}
              </span>
              <span className="row-name">{a.node.name}</span>
              {a.conditional && (
                <span className="flag cond" title="a hop on this path is conditional">
                  cond
                </span>
              )}
              <span className="row-lv" title={a.actions.join(' ')}>
                {lv.join('/') || `${a.actions.length} act`}
              </span>
              <span className="row-depth" title="path length (hops)">
                {a.depth}
              </span>
              <span className="row-via muted">{answerVia(a)}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

export function accountLabel(a: AccessAnswer): string {
  return accountOf(a.node.id, a.node.kind) ?? a.node.source ?? 'unknown account';
}
