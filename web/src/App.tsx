import { useEffect, useState } from 'react';
import { gql, Q, redeemLoginCode, session, setUnauthorizedHandler } from './api';
import { Search } from './components/Search';
import { Loading } from './components/States';
import { warmUpLayout } from './layout';
import { isPrincipal } from './model';
import { routeUrl, useRoute } from './route';
import { AccessView } from './views/AccessView';
import { FindingsView } from './views/FindingsView';
import { Home } from './views/Home';
import { Login } from './views/Login';
import { PathView } from './views/PathView';
import { ReportsView } from './views/ReportsView';

type Auth =
  | { state: 'checking' }
  | { state: 'out'; reason: string | null }
  | { state: 'in'; role: string; name?: string; store?: string };

function initialTheme(): 'light' | 'dark' {
  const saved = localStorage.getItem('accessgraph.theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function App() {
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });
  const [route, go] = useRoute();
  const [theme, setThemeState] = useState(initialTheme);
  // set before children render: the graph reads its colors from the CSS variables
  document.documentElement.dataset.theme = theme;
  const setTheme = (t: 'light' | 'dark') => {
    document.documentElement.dataset.theme = t;
    localStorage.setItem('accessgraph.theme', t);
    setThemeState(t);
  };

  useEffect(() => {
    setUnauthorizedHandler(() =>
      setAuth({ state: 'out', reason: 'Your session ended or the token is no longer valid. Sign in again.' }),
    );
    const code = /(?:^#|&)code=([^&]+)/.exec(location.hash)?.[1];
    if (code) {
      // the code is single-use: drop it from the address bar and history right away
      const back = location.pathname === '/login' ? '/' : location.pathname + location.search;
      history.replaceState(null, '', back);
      redeemLoginCode(decodeURIComponent(code))
        .then((s) => {
          session.save(s.token, s.role, true, s.expiresAt);
          setAuth({ state: 'in', role: s.role });
        })
        .catch((err: Error) => setAuth({ state: 'out', reason: err.message }));
      return;
    }
    if (location.pathname === '/login') history.replaceState(null, '', '/');
    if (!session.token()) {
      setAuth({ state: 'out', reason: null });
      return;
    }
    gql<{ me: { role: string; tokenName: string; store: string } }>(Q.me)
      .then((d) => setAuth({ state: 'in', role: d.me.role, name: d.me.tokenName, store: d.me.store }))
      .catch((err: Error) => setAuth((a) => (a.state === 'out' ? a : { state: 'out', reason: err.message })));
  }, []);

  useEffect(() => {
    if (auth.state === 'in') warmUpLayout();
  }, [auth.state]);

  useEffect(() => {
    if (auth.state !== 'in' || auth.store) return;
    gql<{ me: { role: string; tokenName: string; store: string } }>(Q.me)
      .then((d) => setAuth({ state: 'in', role: d.me.role, name: d.me.tokenName, store: d.me.store }))
      .catch(() => {});
  }, [auth]);

  if (auth.state === 'checking')
    return (
      <main className="center">
        <Loading what="signing in" />
      </main>
    );
  if (auth.state === 'out')
    return <Login reason={auth.reason} onSignedIn={(role) => setAuth({ state: 'in', role })} />;

  const logout = () => {
    session.clear();
    setAuth({ state: 'out', reason: 'You signed out.' });
  };

  return (
    <div className="app">
      <header className="top">
        <a
          className="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            go({ view: 'home' });
          }}
        >
          <span className="logo" aria-hidden="true">
            ◆
          </span>{' '}
          accessgraph
        </a>
        <div className="top-search">
          <Search
            global
            label="Search resources and principals"
            placeholder="Search resources and principals…  ( / )"
            onPick={(h) => go({ view: isPrincipal(h.node.kind) ? 'reach' : 'who', id: h.node.id })}
          />
        </div>
        <nav aria-label="Views">
          <a
            href={routeUrl({ view: 'path' })}
            aria-current={route.view === 'path' ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              go({
                view: 'path',
                ...(route.id
                  ? {
                      from: route.view === 'reach' ? route.id : undefined,
                      to: route.view === 'who' ? route.id : undefined,
                    }
                  : {}),
              });
            }}
          >
            Paths
          </a>
          <a
            href={routeUrl({ view: 'findings' })}
            aria-current={route.view === 'findings' ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              go({ view: 'findings' });
            }}
            data-testid="nav-findings"
          >
            Findings
          </a>
          <a
            href={routeUrl({ view: 'reports' })}
            aria-current={route.view === 'reports' ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              go({ view: 'reports' });
            }}
            data-testid="nav-reports"
          >
            Reports
          </a>
        </nav>
        <button
          type="button"
          className="icon"
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          title="Light / dark"
          data-testid="theme-toggle"
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
        <span className="who small muted" title={auth.name}>
          {auth.role}
          {auth.store ? ` · ${auth.store}` : ''}
        </span>
        <button type="button" onClick={logout} data-testid="logout">
          Log out
        </button>
      </header>
      <main className="content">
        {(route.view === 'who' || route.view === 'reach') && route.id ? (
          <AccessView key={`${route.view}|${route.id}`} route={route} go={go} theme={theme} />
        ) : route.view === 'path' ? (
          <PathView route={route} go={go} theme={theme} />
        ) : route.view === 'findings' ? (
          <FindingsView route={route} go={go} theme={theme} />
        ) : route.view === 'reports' ? (
          <ReportsView route={route} go={go} theme={theme} role={auth.role} />
        ) : (
          <Home go={go} />
        )}
      </main>
    </div>
  );
}
