// The baseline of the gateway read benchmark: a bare express 5 app with one GET route that answers the JSON body
// the gateway answered (same object, serialised per request with res.json, so the same bytes), in a process of
// its own like the gateway. Its POST /v1/needs parses the body and answers 201 with a fresh id: what the load
// curve's generator is checked against (can it post at the rate it offers?). Run by bench/performance.ts:
//
//   node bench/dist/perf-bare-server.js <body.json>     prints {"port": N} once listening; SIGTERM stops it
import { randomUUID } from 'node:crypto';
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
app.post('/v1/needs', express.json(), (request, response) => {
  response.status(201).json({ need: { ...(request.body as object), id: randomUUID() } });
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
