// `d1 serve`: the browser playground (dist/web, made by `npm run build`) on a local web server. The page
// is plain static files; this serves them with the right types, on the loopback address unless asked.
import type { Command } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { packageRoot } from '../root.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.json': 'application/json',
};

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the browser playground (editor, emulator and debugger in a page) on http://127.0.0.1:PORT/')
    .option('--port <n>', 'the port (0 picks a free one)', '8080')
    .option('--host <address>', 'the address to listen on (0.0.0.0 for every network interface)', '127.0.0.1')
    .action((opts: { port: string; host: string }) => {
      const dir = join(packageRoot(), 'dist', 'web');
      if (!existsSync(join(dir, 'index.html'))) {
        process.stderr.write(`d1 serve: ${dir} has no playground: run \`npm run build\`\n`);
        process.exit(1);
      }
      if (!/^[0-9]+$/.test(opts.port) || Number(opts.port) > 65535) {
        process.stderr.write(`d1 serve: --port takes a number 0..65535, got '${opts.port}'\n`);
        process.exit(2);
      }
      const server = createServer((req, res) => {
        const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
        const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
        if ((req.method !== 'GET' && req.method !== 'HEAD') || !file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
          return;
        }
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
        res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
      });
      server.on('error', (e) => {
        process.stderr.write(`d1 serve: cannot listen on ${opts.host}:${opts.port}: ${e.message}\n`);
        process.exit(1);
      });
      server.listen(Number(opts.port), opts.host, () => {
        const a = server.address();
        const port = typeof a === 'object' && a ? a.port : opts.port;
        const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
        process.stdout.write(`d1 playground: http://${host}:${port}/ (Ctrl-C stops)\n`);
      });
    });
}
