import { lazy, Suspense, useEffect, useState } from 'react';
import { logout, onUnauthorized } from './api';
import { Nav } from './components/Nav';
import { matchRoute, useLocation, Link } from './lib/router';
import { LoginPage } from './pages/LoginPage';
import { SessionsPage } from './pages/SessionsPage';
import { DefinitionsPage } from './pages/DefinitionsPage';
import { UserPage } from './pages/UserPage';
import { Spinner } from './components/States';

// rrweb and recharts are most of the bundle; load them only on the screens that use them.
const ReplayPage = lazy(() => import('./pages/ReplayPage').then((m) => ({ default: m.ReplayPage })));
const InsightsPage = lazy(() => import('./pages/InsightsPage').then((m) => ({ default: m.InsightsPage })));

type Auth = 'unknown' | 'in' | 'out';

export function App() {
  // We cannot read the HttpOnly session cookie; any 401 from the API flips us to the login screen.
  const [auth, setAuth] = useState<Auth>('unknown');
  const [epoch, setEpoch] = useState(0);
  const loc = useLocation();

  useEffect(() => onUnauthorized(() => setAuth('out')), []);

  if (auth === 'out') {
    return (
      <LoginPage
        onLoggedIn={() => {
          setAuth('in');
          setEpoch((e) => e + 1);
        }}
      />
    );
  }

  const route = matchRoute(loc.pathname);
  let page;
  switch (route.name) {
    case 'sessions':
      page = <SessionsPage />;
      break;
    case 'replay':
      page = <ReplayPage key={route.id} id={route.id} />;
      break;
    case 'definitions':
      page = <DefinitionsPage />;
      break;
    case 'insights':
      page = <InsightsPage />;
      break;
    case 'user':
      page = <UserPage key={route.id} id={route.id} />;
      break;
    default:
      page = (
        <div className="page">
          <h1>Not found</h1>
          <p className="muted">
            There is nothing at <code>{loc.pathname}</code>. <Link to="/">Go to sessions</Link>.
          </p>
        </div>
      );
  }

  const doLogout = async () => {
    try {
      await logout();
    } catch {
      /* the cookie may already be gone; the login screen is right either way */
    }
    setAuth('out');
  };

  return (
    <div className="shell">
      <Nav current={route.name} onLogout={doLogout} />
      <main className="main" key={epoch} id="main">
        <Suspense fallback={<Spinner />}>{page}</Suspense>
      </main>
    </div>
  );
}
