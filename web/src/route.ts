/**
 * The view lives in the URL (deep links): `/?view=who&id=…&sel=…&hop=…`,
 * `/?view=findings&kinds=…&sev=…&q=…&node=…&sel=…&hop=…`,
 * `/?view=reports&report=…&run=…&tab=risks|changes&sel=…&hop=…` (a run's deep link).
 */
import { useCallback, useEffect, useState } from 'react';

export type ViewName = 'home' | 'who' | 'reach' | 'path' | 'findings' | 'reports';

export interface Route {
  view: ViewName;
  id?: string;
  action?: string;
  level?: string;
  /** who/reach: node kinds; findings: finding kinds (FindingKind values), comma-separated */
  kinds?: string;
  /** findings: the least severe severity shown */
  sev?: string;
  /** findings: only those whose principal or target is this node */
  node?: string;
  cond?: 'yes' | 'no';
  sort?: string;
  q?: string;
  sel?: string;
  hop?: string;
  from?: string;
  to?: string;
  /** reports: the report's name, the run's id, and which list of the run is shown */
  report?: string;
  run?: string;
  tab?: string;
}

const KEYS: (keyof Route)[] = [
  'id',
  'action',
  'level',
  'kinds',
  'sev',
  'node',
  'cond',
  'sort',
  'q',
  'sel',
  'hop',
  'from',
  'to',
  'report',
  'run',
  'tab',
];

export function parseRoute(search: string): Route {
  const p = new URLSearchParams(search);
  const v = p.get('view');
  const view: ViewName =
    v === 'who' || v === 'reach' || v === 'path' || v === 'findings' || v === 'reports' ? v : 'home';
  const r: Route = { view };
  for (const k of KEYS) {
    const val = p.get(k);
    if (val) (r as unknown as Record<string, string>)[k] = val;
  }
  return r;
}

export function routeUrl(r: Route): string {
  const p = new URLSearchParams();
  if (r.view !== 'home') p.set('view', r.view);
  for (const k of KEYS) {
    const v = r[k];
    if (v) p.set(k, v);
  }
  const s = p.toString();
  return s ? `/?${s}` : '/';
}

export function useRoute(): [Route, (r: Route, opts?: { replace?: boolean }) => void] {
  const [route, setRoute] = useState(() => parseRoute(location.search));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.search));
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  const go = useCallback((r: Route, opts?: { replace?: boolean }) => {
    const url = routeUrl(r);
    if (opts?.replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    setRoute(parseRoute(url.slice(1)));
  }, []);
  return [route, go];
}
