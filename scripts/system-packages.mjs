// The system parts the tests and benchmarks need (Debian's chromium and clickhouse-server):
// installed with apt-get when missing and we are root, so a fresh machine needs nothing by hand.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const NEEDS = [
  { bin: '/usr/bin/chromium', pkg: 'chromium' },
  { bin: '/usr/sbin/clickhouse-server', pkg: 'clickhouse-server' },
];

/**
 * Installs what is missing (of `only`, package names, when given), or exits the process with the
 * command to run. `who` prefixes messages.
 */
export function ensureSystemPackages(who, only) {
  const missing = NEEDS.filter((n) => (!only || only.includes(n.pkg)) && !existsSync(n.bin));
  if (missing.length === 0) return;
  const pkgs = missing.map((m) => m.pkg).join(' ');
  if (process.getuid?.() !== 0) {
    console.error(`${who}: missing ${pkgs}. Install them with: sudo apt-get install -y ${pkgs}`);
    process.exit(1);
  }
  console.log(`${who}: installing ${pkgs} with apt-get (needed by the browser and ClickHouse parts)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const upd = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const inst = spawnSync('apt-get', ['install', '-y', '-qq', ...missing.map((m) => m.pkg)], { stdio: 'inherit', env });
  if (upd.status !== 0 || inst.status !== 0 || missing.some((n) => !existsSync(n.bin))) {
    console.error(`${who}: could not install ${pkgs}; run: apt-get install -y ${pkgs}`);
    process.exit(1);
  }
}
