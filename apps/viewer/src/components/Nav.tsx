import { Link, type RouteMatch } from '../lib/router';

const ITEMS: { to: string; label: string; route: RouteMatch['name'][]; icon: string }[] = [
  { to: '/', label: 'Sessions', route: ['sessions', 'replay', 'user'], icon: 'M3 5h14M3 10h14M3 15h9' },
  { to: '/definitions', label: 'Definitions', route: ['definitions'], icon: 'M4 4h12v12H4zM7 8h6M7 12h4' },
  { to: '/insights', label: 'Insights', route: ['insights'], icon: 'M3 16l4-5 4 3 6-8' },
  { to: '/destinations', label: 'Destinations', route: ['destinations'], icon: 'M3 10h10M10 5l5 5-5 5M17 4v12' },
  { to: '/project', label: 'Project', route: ['project'], icon: 'M10 3a3 3 0 110 6 3 3 0 010-6zM4 17c0-3 3-5 6-5s6 2 6 5' },
];

export function Nav({ current, onLogout, projectName }: { current: RouteMatch['name']; onLogout: () => void; projectName?: string }) {
  return (
    <nav className="nav" aria-label="Main">
      <Link to="/" className="brand">
        <span className="brand-mark" aria-hidden="true">
          ◐
        </span>
        Hindsight
      </Link>
      {projectName && (
        <Link to="/project" className="nav-project" title="Project settings" data-testid="nav-project">
          {projectName}
        </Link>
      )}
      <ul className="nav-list">
        {ITEMS.map((it) => {
          const active = it.route.includes(current);
          return (
            <li key={it.to}>
              <Link to={it.to} className={active ? 'nav-link active' : 'nav-link'} aria-current={active ? 'page' : undefined}>
                <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
                  <path d={it.icon} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
                </svg>
                {it.label}
              </Link>
            </li>
          );
        })}
      </ul>
      <button type="button" className="nav-logout" onClick={onLogout} data-testid="logout">
        Log out
      </button>
    </nav>
  );
}
