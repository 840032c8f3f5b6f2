// The baseline of the gateway read benchmark: a bare express 5 app with one GET route that answers the JSON body
// the gateway answered (same object, serialised per request with res.json, so the same bytes), in a process of
// its own like the gateway. Run by bench/performance.ts:
//
//   node bench/dist/perf-bare-server.js <body.json>     prints {"port": N} once listening; SIGTERM stops it
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: perf-bare-server.js <body.json>\n');
  process.exit(2);
}
const body: unknown = JSON.parse(readFileSync(file, 'utf8'));

const app = express();
app.disable('x-powered-by');
app.get('/v1/enterprises/:enterpriseId', (_request, response) => {
  response.json(body);
});

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
