// `npm start` entry: API + viewer + recorder on HINDSIGHT_PORT, demo shop on HINDSIGHT_DEMO_PORT.
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { createStore, DuckDBStore } from '@hindsight/store';
import { loadConfig } from './config.js';
import { createApp } from './app.js';
import { createDemoServer } from './demo.js';
import { appPaths } from './paths.js';

const log = (msg: string) => process.stderr.write(`[hindsight] ${msg}\n`);

function listen(server: Server, port: number, host: string, what: string, envName: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new Error(`Port ${port} (${what}) is already in use. Stop the other process or set ${envName} to a free port.`));
      } else if (err.code === 'EACCES') {
        reject(new Error(`No permission to listen on port ${port} (${what}). Set ${envName} to a port above 1024.`));
      } else reject(err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

async function main() {
  const config = loadConfig();
  const paths = appPaths();
  const store = createStore({ dataDir: config.dataDir, url: config.storeUrl, duckdb: { memoryLimit: config.duckdbMemory } });
  await store.init();
  const { app, destinations, registry } = createApp({ config, store, paths, log });
  // webhook deliveries, including those still pending from before a restart
  destinations.start(async () => [...(await registry.snapshot()).projects.keys()]);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await listen(server, config.port, config.host, 'API and viewer', 'HINDSIGHT_PORT');
  let demo: Server | undefined;
  if (config.demo && config.demoPort !== 0) {
    demo = createDemoServer(paths.demoSite, config.publicUrl, config.projectKeys[0]);
    await listen(demo, config.demoPort, config.host, 'demo shop', 'HINDSIGHT_DEMO_PORT');
  }
  const demoHost = config.publicUrl.replace(/:\d+$/, `:${config.demoPort}`);
  const memory = store instanceof DuckDBStore ? `, memory limit ${await store.memoryLimit()}` : '';
  const lines = [
    '',
    'Hindsight is running',
    `  viewer + API   ${config.publicUrl}/`,
    `  recorder       ${config.publicUrl}/recorder.js`,
    demo ? `  demo shop      ${demoHost}/` : '',
    `  store          ${store.kind}${config.storeUrl ? ` (${config.storeUrl.replace(/\/\/[^@/]*@/, '//***@')})` : ` (${config.dataDir}${memory})`}`,
    `  admin token    ${config.adminToken}${config.generated.adminToken ? '   (generated; set HINDSIGHT_ADMIN_TOKEN)' : ''}`,
    `  project key    ${config.projectKeys[0]}${config.generated.projectKey ? '   (generated; set HINDSIGHT_PROJECT_KEY)' : ''}`,
    '',
    `Embed: <script src="${config.publicUrl}/recorder.js" data-key="${config.projectKeys[0]}" data-endpoint="${config.publicUrl}"></script>`,
    'Press Ctrl-C to stop.',
    '',
  ].filter((l) => l !== '');
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    const closed = (s?: Server) => new Promise<void>((r) => (s ? s.close(() => r()) : r()));
    server.closeIdleConnections?.();
    await Promise.race([Promise.all([closed(server), closed(demo)]), new Promise((r) => setTimeout(r, 3000))]);
    await destinations.stop().catch(() => {});
    await store.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`hindsight: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
