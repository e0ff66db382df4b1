// The viewer talks to the server only through the typed client (@hindsight/client): no screen
// builds its own request or API path, so the client (and its OpenAPI-checked shapes) is the one
// place an endpoint change has to be made.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '../src');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(f) ? [p] : [];
  });

describe('viewer → server', () => {
  it.each(files(SRC).map((f) => [f.slice(SRC.length + 1), f]))('%s makes no request of its own', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/\bfetch\(|XMLHttpRequest|navigator\.sendBeacon|new EventSource/);
    expect(text).not.toMatch(/['"`]\/api\//);
  });

  it('api.ts delegates to the client', () => {
    expect(readFileSync(join(SRC, 'api.ts'), 'utf8')).toMatch(/new HindsightClient\(/);
  });
});
