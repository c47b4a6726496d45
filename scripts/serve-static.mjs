#!/usr/bin/env node
// Serves a built site the way a plain static host does: files only, no
// Cross-Origin-Opener-Policy / -Embedder-Policy headers, under a path
// prefix, with GitHub Pages' `Cache-Control: max-age=600` (and, for the
// test of a host that does send them, any headers the caller names). Used to try the
// build (`npm run serve:static`), by the static-host browser tests and by the
// benchmark's boot_to_prompt_static_ms.
//
//   node scripts/serve-static.mjs [dir] [--base /zos/] [--port 4174] [--host 127.0.0.1]
//
// dir defaults to dist. The files come from sirv; this adds only the prefix.

import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import sirv from 'sirv';

/**
 * Starts serving `dir` under `base` (a path that starts and ends with "/").
 * Port 0 picks a free one. `setDir` switches to another directory at once,
 * as a deploy of a new build does.
 * `headers` are added to every file served (none by default).
 * @param {{ dir: string, base?: string, port?: number, host?: string, headers?: Record<string, string> }} options
 * @returns {Promise<{ url: string, setDir(dir: string): void, close(): Promise<void> }>}
 */
export async function serveStatic({ dir, base = '/zos/', port = 0, host = '127.0.0.1', headers = {} }) {
  if (!base.startsWith('/') || !base.endsWith('/')) throw new Error(`base must start and end with "/": ${base}`);
  const setHeaders = (res) => { for (const [name, value] of Object.entries(headers)) res.setHeader(name, value); };
  const files = (d) => sirv(resolve(d), { etag: true, maxAge: 600, setHeaders });
  let handler = files(dir);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === base.slice(0, -1)) {
      res.writeHead(301, { Location: base }).end();
    } else if (path.startsWith(base)) {
      req.url = `/${(req.url ?? '/').slice(base.length)}`;
      handler(req, res, () => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n'));
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: this server has only ${base}\n`);
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://${host}:${address.port}${base}`,
    setDir(d) { handler = files(d); },
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok(undefined)); }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { base: { type: 'string', default: '/zos/' }, port: { type: 'string', default: '4174' }, host: { type: 'string', default: '127.0.0.1' } },
  });
  const site = await serveStatic({ dir: positionals[0] ?? 'dist', base: values.base, port: Number(values.port), host: values.host });
  console.log(`serving ${positionals[0] ?? 'dist'} at ${site.url} (no isolation headers: the site's service worker adds them)`);
}
