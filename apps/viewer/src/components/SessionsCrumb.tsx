// "Sessions / …": the way back from the pages about one session (replay, not found, import).
import type { ReactNode } from 'react';
import { Link } from '../lib/router';

export function SessionsCrumb({ children }: { children: ReactNode }) {
  return (
    <nav className="crumbs" aria-label="Breadcrumb">
      <Link to="/">Sessions</Link> <span aria-hidden="true">/</span> {children}
    </nav>
  );
}
