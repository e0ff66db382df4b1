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

/** a path segment's value; null when it is not valid percent-encoding (a mistyped or cut link) */
function decodeSegment(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

export function matchRoute(pathname: string): RouteMatch {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'sessions' };
  const m = /^\/sessions\/([^/]+)$/.exec(path);
  const id = m && decodeSegment(m[1]);
  if (id !== null && id !== undefined) return { name: 'replay', id };
  if (path === '/definitions') return { name: 'definitions' };
  if (path === '/insights') return { name: 'insights' };
  if (path === '/destinations') return { name: 'destinations' };
  if (path === '/project') return { name: 'project' };
  const u = /^\/users\/([^/]+)$/.exec(path);
  const user = u && decodeSegment(u[1]);
  if (user !== null && user !== undefined) return { name: 'user', id: user };
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
