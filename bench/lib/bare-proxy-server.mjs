/**
 * The reference arm B: the least a Node.js gateway can do — read the body, forward it with an
 * undici pool, send the reply back — with no auth, routing, billing or logging. Run as its own
 * process, pinned like the gateway: `node bare-proxy-server.mjs <upstream origin> <port>`.
 */
import http from 'node:http';
import { Pool } from 'undici';

const [target, port] = process.argv.slice(2);
const upstream = new Pool(target, { connections: 64 });

http
  .createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      upstream
        .request({ method: req.method, path: req.url, headers: { 'content-type': req.headers['content-type'] ?? 'application/json' }, body: Buffer.concat(chunks) })
        .then(async (reply) => {
          const body = Buffer.from(await reply.body.arrayBuffer());
          res.writeHead(reply.statusCode, { 'content-type': reply.headers['content-type'] ?? 'application/json', 'content-length': body.length });
          res.end(body);
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  })
  .listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
