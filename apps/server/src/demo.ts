// Serves the demo shop (apps/demo/site) on its own port, filling in the recorder snippet's
// endpoint and key the way a customer would paste them.
import { createServer, type Server } from 'node:http';
import { extname } from 'node:path';
import { contentType, readStatic } from './http/static.js';

export function createDemoServer(siteDir: string, endpoint: string, key: string): Server {
  return createServer(async (req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      let f = await readStatic(siteDir, path);
      if (!f && !extname(path)) f = (await readStatic(siteDir, `${path}.html`)) ?? (await readStatic(siteDir, 'index.html'));
      if (!f) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      let body: Buffer | string = f.body;
      if (f.path.endsWith('.html')) {
        body = f.body.toString('utf8').replaceAll('{{HINDSIGHT_ENDPOINT}}', endpoint).replaceAll('{{HINDSIGHT_KEY}}', key);
      }
      res.writeHead(200, { 'content-type': contentType(f.path), 'cache-control': 'no-cache' }).end(body);
    } catch {
      res.writeHead(500).end();
    }
  });
}
