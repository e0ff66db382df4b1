// A tiny client router on the history API: enough for four screens, no dependency.
import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

function subscribe(fn: () => void) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

const snapshot = () => window.location.pathname + window.location.search;

export interface Location {
  pathname: string;
  search: string;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const q = href.indexOf('?');
  return q < 0 ? { pathname: href, search: '' } : { pathname: href.slice(0, q), search: href.slice(q) };
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

export type RouteMatch =
  | { name: 'sessions' }
  | { name: 'replay'; id: string }
  | { name: 'definitions' }
  | { name: 'insights' }
  | { name: 'destinations' }
  | { name: 'user'; id: string }
  | { name: 'project' }
  | { name: 'notfound' };

/** re's first group in path, decoded; null when re does not match or the group is not valid percent-encoding (a mistyped or cut link) */
function param(re: RegExp, path: string): string | null {
  const m = re.exec(path);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

export function matchRoute(pathname: string): RouteMatch {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'sessions' };
  const id = param(/^\/sessions\/([^/]+)$/, path);
  if (id !== null) return { name: 'replay', id };
  if (path === '/definitions') return { name: 'definitions' };
  if (path === '/insights') return { name: 'insights' };
  if (path === '/destinations') return { name: 'destinations' };
  if (path === '/project') return { name: 'project' };
  const user = param(/^\/users\/([^/]+)$/, path);
  if (user !== null) return { name: 'user', id: user };
  return { name: 'notfound' };
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

/** An <a> that navigates client-side on a plain left click (modifier clicks keep browser behaviour). */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (rest.target && rest.target !== '_self') return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}

/** Sets document.title for the current screen. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Hindsight` : 'Hindsight';
  }, [title]);
}
