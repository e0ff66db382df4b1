import { lazy, Suspense, useEffect, useState } from 'react';
import { ApiError, logout, me, onUnauthorized } from './api';
import { Nav } from './components/Nav';
import { matchRoute, navigate, useLocation, Link } from './lib/router';
import { chooseProject, restoreProject } from './lib/project';
import { dropEarly } from './lib/early-replay';
import { useApi } from './lib/useApi';
import { LoginPage } from './pages/LoginPage';
import { SessionsPage } from './pages/SessionsPage';
import { DefinitionsPage } from './pages/DefinitionsPage';
import { UserPage } from './pages/UserPage';
import { ProjectPage } from './pages/ProjectPage';
import { DestinationsPage } from './pages/DestinationsPage';
import { Spinner } from './components/States';

// rrweb and recharts are most of the bundle; load them only on the screens that use them.
const ReplayPage = lazy(() => import('./pages/ReplayPage').then((m) => ({ default: m.ReplayPage })));
const InsightsPage = lazy(() => import('./pages/InsightsPage').then((m) => ({ default: m.InsightsPage })));

type Auth = 'unknown' | 'in' | 'out';

restoreProject();

export function App() {
  // We cannot read the HttpOnly session cookie; any 401 from the API flips us to the login screen.
  const [auth, setAuth] = useState<Auth>('unknown');
  const [epoch, setEpoch] = useState(0);
  const loc = useLocation();

  useEffect(() => onUnauthorized(() => setAuth('out')), []);
  // a replay's first frame shown before the app (lib/early-frame.ts) is for the replay screen only
  const onReplay = matchRoute(loc.pathname).name === 'replay' && auth !== 'out';
  useEffect(() => {
    if (!onReplay) dropEarly();
  }, [onReplay]);
  // who we are and on which project (the nav shows it; the Project page builds on it)
  // not on the import screen: it plays a file with no server at all (and no login)
  const offline = loc.pathname === '/sessions/import';
  const meState = useApi((signal) => (auth === 'out' || offline ? new Promise<never>(() => {}) : me(signal)), [epoch, auth === 'out', offline]);
  useEffect(() => {
    // a remembered project that is gone, or not ours (another credential signed in): back to our own
    const e = meState.error;
    if (e instanceof ApiError && (e.code === 'unknown_project' || e.code === 'forbidden_project')) {
      chooseProject(undefined);
      setEpoch((n) => n + 1);
    }
  }, [meState.error]);
  const switchProject = (id: string) => {
    chooseProject(id === 'default' ? undefined : id);
    setEpoch((n) => n + 1);
    navigate('/');
  };

  if (auth === 'out') {
    return (
      <LoginPage
        onLoggedIn={() => {
          chooseProject(undefined);
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
    case 'destinations':
      page = <DestinationsPage />;
      break;
    case 'project':
      page = <ProjectPage me={meState.data} error={meState.error} onRetry={meState.reload} onSwitch={switchProject} />;
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
    chooseProject(undefined);
    setAuth('out');
  };

  return (
    <div className="shell">
      <Nav current={route.name} onLogout={doLogout} projectName={meState.data?.projectName} />
      <main className="main" key={epoch} id="main">
        <Suspense fallback={<Spinner />}>{page}</Suspense>
      </main>
    </div>
  );
}
