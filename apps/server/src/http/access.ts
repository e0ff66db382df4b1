// Who is calling /api/* and on which project. Credentials: the server admin token
// (HINDSIGHT_ADMIN_TOKEN: admin of `default`, may act on any project), a project admin token (its
// own project only), or the viewer's session cookie made from either at login. Write keys are
// none of these, so they never read anything. The project is chosen by `X-Hindsight-Project`
// (or `?project=`, for plain download links) and can only narrow, never widen, what the
// credential allows.
import type { ProjectRegistry, RegistrySnapshot } from '../projects/registry.js';
import { DEFAULT_PROJECT } from '../projects/registry.js';
import { HttpError } from './errors.js';
import { checkToken, COOKIE_NAME, makeSessionCookie, readCookie, SERVER_SCOPE, verifySessionCookie } from './auth.js';

export const PROJECT_HEADER = 'x-hindsight-project';

export interface Access {
  /** the project this request reads and defines */
  projectId: string;
  /** the HINDSIGHT_ADMIN_TOKEN holder (may create projects and act on any of them) */
  serverAdmin: boolean;
  /** how the caller proved it (a rotated token renews the caller's own cookie) */
  via: 'bearer' | 'cookie';
}

/** The credential's own scope: SERVER_SCOPE or a project id. */
function tokenScope(adminToken: string, snap: RegistrySnapshot, token: string): string | undefined {
  if (checkToken(adminToken, token)) return SERVER_SCOPE;
  return snap.projectForAdminToken(token);
}

/** Signing secret of a cookie scope: the server token, plus the project's token hash (see auth.ts). */
const cookieSecret = (adminToken: string, snap: RegistrySnapshot) => (scope: string) => {
  if (scope === SERVER_SCOPE) return adminToken;
  const hash = snap.tokenHash.get(scope);
  return hash === undefined ? undefined : `${adminToken}:${hash}`;
};

export function sessionCookieFor(adminToken: string, snap: RegistrySnapshot, scope: string): string {
  const secret = cookieSecret(adminToken, snap)(scope);
  if (secret === undefined) throw new HttpError(404, 'unknown_project', `no project ${scope}`);
  return makeSessionCookie(secret, scope);
}

/** POST /api/login: the scope of a server or project admin token, or 401. */
export async function loginScope(registry: ProjectRegistry, adminToken: string, token: string): Promise<string> {
  const scope = tokenScope(adminToken, await registry.snapshot(), token);
  if (!scope) throw new HttpError(401, 'invalid_token', 'wrong admin token');
  return scope;
}

export async function resolveAccess(registry: ProjectRegistry, adminToken: string, req: Request): Promise<Access> {
  let snap = await registry.snapshot();
  const auth = req.headers.get('authorization');
  let scope: string | null | undefined;
  let via: Access['via'] = 'bearer';
  if (auth?.startsWith('Bearer ')) scope = tokenScope(adminToken, snap, auth.slice(7).trim());
  if (!scope) {
    scope = verifySessionCookie(cookieSecret(adminToken, snap), readCookie(req.headers.get('cookie'), COOKIE_NAME));
    via = 'cookie';
  }
  if (!scope) throw new HttpError(401, 'unauthorized', 'admin token or session cookie required');

  const asked = req.headers.get(PROJECT_HEADER) ?? new URL(req.url).searchParams.get('project');
  if (scope !== SERVER_SCOPE) {
    if (asked && asked !== scope) throw new HttpError(403, 'forbidden_project', `this admin token is for project ${scope} only`);
    return { projectId: scope, serverAdmin: false, via };
  }
  if (!asked) return { projectId: DEFAULT_PROJECT, serverAdmin: true, via };
  // a project just created on another server may not be in our cached copy yet
  if (!snap.projects.has(asked)) snap = await registry.snapshot(true);
  if (!snap.projects.has(asked)) throw new HttpError(404, 'unknown_project', `no project ${asked.slice(0, 64)}`);
  return { projectId: asked, serverAdmin: true, via };
}
