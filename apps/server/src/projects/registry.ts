// The project registry: projects, their public write keys and their admin tokens (as SHA-256
// hashes only). It lives in the Store (the settings rows of a reserved project id), not in a local
// file, because several servers may share one ClickHouse. One row per project / key / token, so
// two servers creating keys at the same time never overwrite each other (settings rows are
// "latest write wins" per name).
//
// Ingest resolves a write key on every batch, so the whole registry is read into memory and reused
// for REGISTRY_TTL_MS: a key revoked or created on another server takes effect here within that
// time; changes made through this server take effect at once (the cache is dropped).
import { createHash, randomBytes } from 'node:crypto';
import type { Project, WriteKey } from '@hindsight/schema';
import type { Store } from '@hindsight/store';

export const DEFAULT_PROJECT = 'default';
/** Not a valid project id (PROJECT_ID has no `$`), so no API call can ever reach these rows. */
export const REGISTRY_NAMESPACE = '$registry';
/** How long a registry read is reused (ms); see docs/SECURITY.md. */
export const REGISTRY_TTL_MS = 5000;
export const PROJECT_ID = /^[a-z0-9][a-z0-9-]{0,47}$/;

/** One read of the registry, with the lookups ingest and auth need. */
export class RegistrySnapshot {
  readonly projects = new Map<string, Project>();
  /** ids of deleted projects (their rows stay as tombstones) */
  readonly deleted = new Set<string>();
  readonly keys: WriteKey[] = [];
  private readonly liveKeys = new Map<string, WriteKey>();
  /** token hash → project id, and back */
  private readonly tokenProject = new Map<string, string>();
  readonly tokenHash = new Map<string, string>();

  constructor(rows: Record<string, string>, envKeys: string[]) {
    this.projects.set(DEFAULT_PROJECT, { id: DEFAULT_PROJECT, name: 'Default', createdAt: 0 });
    const stored = new Map<string, WriteKey>();
    for (const [name, value] of Object.entries(rows)) {
      const [kind, id] = splitName(name);
      const v = parseRow(value);
      if (!v || !id) continue;
      if (kind === 'project' && PROJECT_ID.test(id) && typeof v.name === 'string') {
        if (v.deletedAt == null) this.projects.set(id, { id, name: v.name, createdAt: num(v.createdAt) });
        else this.deleted.add(id);
      } else if (kind === 'key' && typeof v.project === 'string' && typeof v.key === 'string') {
        stored.set(id, { id, projectId: v.project, key: v.key, createdAt: num(v.createdAt), revokedAt: v.revokedAt == null ? null : num(v.revokedAt), source: 'api' });
      } else if (kind === 'admin' && typeof v.hash === 'string') {
        this.tokenHash.set(id, v.hash);
      }
    }
    // a deleted project's token and keys open nothing
    for (const [id, hash] of this.tokenHash) {
      if (this.projects.has(id)) this.tokenProject.set(hash, id);
      else this.tokenHash.delete(id);
    }
    // env keys are live unless a stored row (written by a revoke) says otherwise
    for (const key of envKeys) {
      const id = envKeyId(key);
      const row = stored.get(id);
      stored.set(id, { id, projectId: DEFAULT_PROJECT, key, createdAt: 0, revokedAt: row?.revokedAt ?? null, source: 'env' });
    }
    for (const k of stored.values()) {
      if (!this.projects.has(k.projectId)) continue;
      this.keys.push(k);
      if (k.revokedAt === null) this.liveKeys.set(k.key, k);
    }
    this.keys.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  /** the project a live write key sends to */
  projectForKey(key: string): string | undefined {
    return this.liveKeys.get(key)?.projectId;
  }

  /** the project whose admin token this is (never `default`: its admin is the server admin) */
  projectForAdminToken(token: string): string | undefined {
    return this.tokenProject.get(sha256(token));
  }

  keysOf(projectId: string): WriteKey[] {
    return this.keys.filter((k) => k.projectId === projectId);
  }
}

export interface CreatedProject {
  project: Project;
  /** shown once: only its hash is stored */
  adminToken: string;
  writeKey: WriteKey;
}

export class ProjectRegistry {
  private cached: { at: number; snap: Promise<RegistrySnapshot> } | null = null;

  constructor(
    private readonly store: Store,
    private readonly envKeys: string[],
    private readonly now: () => number = Date.now,
  ) {}

  /** The registry as of at most REGISTRY_TTL_MS ago (`fresh`: read it now). */
  snapshot(fresh = false): Promise<RegistrySnapshot> {
    const t = this.now();
    if (fresh || !this.cached || t - this.cached.at >= REGISTRY_TTL_MS) {
      const snap = this.store.getSettings(REGISTRY_NAMESPACE).then((rows) => new RegistrySnapshot(rows, this.envKeys));
      // a failed read (store down) must not stick for the whole TTL
      snap.catch(() => {
        if (this.cached?.snap === snap) this.cached = null;
      });
      this.cached = { at: t, snap };
    }
    return this.cached.snap;
  }

  async projectForKey(key: string): Promise<string | undefined> {
    return (await this.snapshot()).projectForKey(key);
  }

  async createProject(name: string): Promise<CreatedProject> {
    const project: Project = { id: projectIdFor(name), name, createdAt: this.now() };
    const adminToken = newAdminToken();
    const writeKey = this.newKey(project.id);
    await this.write({
      [`project/${project.id}`]: JSON.stringify({ name, createdAt: project.createdAt }),
      [`admin/${project.id}`]: JSON.stringify({ hash: sha256(adminToken), rotatedAt: project.createdAt }),
      ...keyRow(writeKey),
    });
    return { project, adminToken, writeKey };
  }

  /** The project with its new name (its id stays: keys, tokens and data refer to it), null when unknown. */
  async renameProject(id: string, name: string): Promise<Project | null> {
    const p = (await this.snapshot(true)).projects.get(id);
    if (!p) return null;
    await this.write({ [`project/${id}`]: JSON.stringify({ name, createdAt: p.createdAt }) });
    return { ...p, name };
  }

  /**
   * Marks the project deleted (its row stays as a tombstone: rows are never removed, and the id is
   * never made again). Its keys and admin token stop working here at once, on other servers within
   * REGISTRY_TTL_MS. null when unknown.
   */
  async deleteProject(id: string): Promise<Project | null> {
    const p = (await this.snapshot(true)).projects.get(id);
    if (!p || id === DEFAULT_PROJECT) return null;
    await this.write({ [`project/${id}`]: JSON.stringify({ name: p.name, createdAt: p.createdAt, deletedAt: this.now() }) });
    return p;
  }

  async createKey(projectId: string): Promise<WriteKey> {
    const k = this.newKey(projectId);
    await this.write(keyRow(k));
    return k;
  }

  /** 'last' when it is the project's only live key (ingest would stop), null when unknown */
  async revokeKey(projectId: string, id: string): Promise<WriteKey | 'last' | null> {
    const snap = await this.snapshot(true);
    const keys = snap.keysOf(projectId);
    const k = keys.find((x) => x.id === id);
    if (!k) return null;
    if (k.revokedAt !== null) return k;
    if (!keys.some((x) => x.id !== id && x.revokedAt === null)) return 'last';
    const revoked = { ...k, revokedAt: this.now() };
    await this.write(keyRow(revoked));
    return revoked;
  }

  /** A new admin token for the project; the old one (and cookies signed for it) stop working. */
  async rotateAdminToken(projectId: string): Promise<string> {
    const adminToken = newAdminToken();
    await this.write({ [`admin/${projectId}`]: JSON.stringify({ hash: sha256(adminToken), rotatedAt: this.now() }) });
    return adminToken;
  }

  private newKey(projectId: string): WriteKey {
    return { id: `wk_${randomBytes(6).toString('hex')}`, projectId, key: `hs_pk_${randomBytes(12).toString('base64url')}`, createdAt: this.now(), revokedAt: null, source: 'api' };
  }

  private async write(rows: Record<string, string>): Promise<void> {
    // dropped before and after: a read racing the write must not be reused as the new state
    this.cached = null;
    try {
      await this.store.putSettings(REGISTRY_NAMESPACE, rows);
    } finally {
      this.cached = null;
    }
  }
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Stable id of an env key, so a revoke (a stored row) still applies after a restart. */
export const envKeyId = (key: string) => `env_${sha256(key).slice(0, 12)}`;

const newAdminToken = () => `hs_pa_${randomBytes(24).toString('base64url')}`;

/** readable and unique: `my-shop-3f9a1c` (never `default`, thanks to the suffix) */
export function projectIdFor(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return `${slug || 'project'}-${randomBytes(3).toString('hex')}`;
}

function keyRow(k: WriteKey): Record<string, string> {
  return { [`key/${k.id}`]: JSON.stringify({ project: k.projectId, key: k.key, createdAt: k.createdAt, revokedAt: k.revokedAt }) };
}

function splitName(name: string): [string, string] {
  const slash = name.indexOf('/');
  return slash < 0 ? [name, ''] : [name.slice(0, slash), name.slice(slash + 1)];
}

function parseRow(value: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(value);
    return v && typeof v === 'object' ? v : null;
  } catch {
    return null;
  }
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
