import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api, describe as describeCall } from './api';

// A gateway stand-in on a local port: answers by a script, counts what it was asked.
let server: Server;
let url: string;
const asked: { method: string; url: string; authorization?: string; body: string }[] = [];
let answers: { status: number; body?: unknown; headers?: Record<string, string> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      asked.push({
        method: req.method ?? '',
        url: req.url ?? '',
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        body,
      });
      const answer = answers.shift() ?? { status: 500, body: { code: 'UNSCRIPTED' } };
      const type = answer.status >= 400 ? 'application/problem+json' : 'application/json';
      res.writeHead(answer.status, { 'content-type': type, ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  asked.length = 0;
  answers = [];
});

it('sends typed calls with the token, the path parameters and the body, and reads the answer', async () => {
  answers = [{ status: 200, body: { enterprise: { id: 'e-1', leadFirm: true } } }];
  const api = new Api(url);
  const r = await api.call('tok', (c) =>
    c.PUT('/v1/enterprises/{enterpriseId}/lead-firm', {
      params: { path: { enterpriseId: 'e-1' } },
      body: { leadFirm: true },
    }),
  );
  expect(r).toEqual({ status: 200, data: { enterprise: { id: 'e-1', leadFirm: true } }, problem: {} });
  expect(asked).toEqual([
    {
      method: 'PUT',
      url: '/v1/enterprises/e-1/lead-firm',
      authorization: 'Bearer tok',
      body: '{"leadFirm":true}',
    },
  ]);
  expect(api.calls).toBe(1);
});

// A body the document admits; the stand-in server never reads it.
const need = {
  title: 'x',
  category: 'NEED_CATEGORY_MATERIAL',
  quantityPerMonth: { value: 1, unit: 'tấn' },
} as const;

it('repeats a rate-limited call after Retry-After and a timed-out one only when it is idempotent', async () => {
  answers = [
    { status: 429, body: { code: 'RATE_LIMITED', detail: 'slow down' }, headers: { 'retry-after': '0' } },
    { status: 200, body: { proposals: [], page: { totalSize: 3 } } },
    { status: 504, body: { code: 'DEADLINE_EXCEEDED', detail: 'timed out' } },
  ];
  const api = new Api(url);
  const listed = await api.call(undefined, (c) =>
    c.GET('/v1/proposals', { params: { query: { status: ['established', 'proposed'], page_size: 1 } } }),
  );
  expect(listed.data?.page?.totalSize).toBe(3);
  expect(asked.map((a) => a.url)).toEqual([
    '/v1/proposals?status=established&status=proposed&page_size=1',
    '/v1/proposals?status=established&status=proposed&page_size=1',
  ]);
  const posted = await api.call('tok', (c) => c.POST('/v1/needs', { body: need }));
  expect(posted.status).toBe(504);
  expect(posted.problem.code).toBe('DEADLINE_EXCEEDED');
  expect(describeCall('POST', '/v1/needs', posted)).toBe('POST /v1/needs → 504 DEADLINE_EXCEEDED timed out');
  expect(api.retries).toEqual({ '429': 1 });
});

it('gives status 0 when no answer comes', async () => {
  // Port 1 is one fetch will not call ("bad port"): a network error that is not a refused connection, so a
  // POST is not repeated.
  const api = new Api('http://127.0.0.1:1');
  const r = await api.call(undefined, (c) => c.POST('/v1/needs', { body: need }));
  expect(r.status).toBe(0);
  expect(r.problem.code).toBe('NO_ANSWER');
});
