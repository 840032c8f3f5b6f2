import { type Io, run, streamUrl } from './commands';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

function harness(
  answers: ((seen: Seen) => Response | Promise<Response>)[],
  env: Record<string, string> = {},
) {
  const seen: Seen[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const stop = new AbortController();
  const io: Io = {
    env: { LIENKET_URL: 'http://gw.test', LIENKET_TOKEN: 'tok', ...env },
    // The typed client passes a Request; the event stream a URL and options.
    fetch: (async (input: string | Request, init: RequestInit = {}) => {
      const sent = input instanceof Request ? input : new Request(input, init);
      const text = await sent.text();
      const request: Seen = {
        method: sent.method,
        url: sent.url,
        headers: Object.fromEntries(sent.headers),
        ...(text ? { body: JSON.parse(text) } : {}),
      };
      seen.push(request);
      const answer = answers.shift();
      if (!answer)
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED', message: 'refused' } });
      return answer(request);
    }) as unknown as typeof fetch,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readFile: async (path) => {
      if (path === 'need.json') return '{"title":"Thép cuộn","hsCodes":["7208"]}';
      if (path === 'broken.json') return '{"title":';
      throw new Error(`ENOENT: no such file, open '${path}'`);
    },
    readStdin: async () => '{"title":"Gia công CNC"}',
    signal: stop.signal,
    sleep: async () => undefined,
  };
  return { io, seen, stdout: () => out.join(''), stderr: () => err.join(''), stop };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

describe('lienket commands', () => {
  it('post need <file>: sends the JSON with the token, prints the new id', async () => {
    const h = harness([() => json({ need: { id: 'n-42', title: 'Thép cuộn' } }, 201)]);
    expect(await run(['post', 'need', 'need.json'], h.io)).toBe(0);
    expect(h.stdout()).toBe('n-42\n');
    expect(h.seen[0]).toMatchObject({
      method: 'POST',
      url: 'http://gw.test/v1/needs',
      headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
      body: { title: 'Thép cuộn', hsCodes: ['7208'] },
    });
  });

  it('post capability -: reads standard input', async () => {
    const h = harness([() => json({ capability: { id: 'c-7' } }, 201)]);
    expect(await run(['post', 'capability', '-'], h.io)).toBe(0);
    expect(h.stdout()).toBe('c-7\n');
    expect(h.seen[0]).toMatchObject({
      url: 'http://gw.test/v1/capabilities',
      body: { title: 'Gia công CNC' },
    });
  });

  it('post: an unreadable or non-JSON file fails before any request', async () => {
    const missing = harness([]);
    expect(await run(['post', 'need', 'nope.json'], missing.io)).toBe(1);
    expect(missing.stderr()).toMatch(/^error: cannot read nope.json: ENOENT/);
    const broken = harness([]);
    expect(await run(['post', 'need', 'broken.json'], broken.io)).toBe(1);
    expect(broken.stderr()).toMatch(/^error: broken.json is not JSON/);
    expect([...missing.seen, ...broken.seen]).toEqual([]);
  });

  it('prints the problem (English and Vietnamese) and exits 1', async () => {
    const h = harness([
      () =>
        json(
          {
            status: 422,
            title: 'Not possible in the current state',
            detail: 'The proposal has expired',
            detail_vi: 'Đề xuất đã hết hạn',
            code: 'PROPOSAL_EXPIRED',
          },
          422,
        ),
    ]);
    expect(await run(['accept', 'p-1'], h.io)).toBe(1);
    expect(h.stderr()).toBe(
      'error: The proposal has expired\n       Đề xuất đã hết hạn\n       (HTTP 422, PROPOSAL_EXPIRED)\n',
    );
    expect(h.stdout()).toBe('');
  });

  it('hints at the token on a 401 without one', async () => {
    const h = harness(
      [() => json({ status: 401, detail: 'Sign in to do this', detail_vi: 'Vui lòng đăng nhập' }, 401)],
      {
        LIENKET_TOKEN: '',
      },
    );
    expect(await run(['proposals'], h.io)).toBe(1);
    expect(h.seen[0]?.headers).not.toHaveProperty('authorization');
    expect(h.stderr()).toContain('Set LIENKET_TOKEN or pass --token');
  });

  it('describes an error response that is not a problem', async () => {
    const h = harness([
      () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    ]);
    expect(await run(['proposals'], h.io)).toBe(1);
    expect(h.stderr()).toMatch(/^error: HTTP 502 Bad Gateway: <html>Bad gateway<\/html>/);
  });

  it('proposals: asks for the statuses, follows pages, prints the table', async () => {
    const h = harness([
      () =>
        json({
          proposals: [{ id: 'p-1', status: 'PROPOSAL_STATUS_PROPOSED', score: 0.91, reason: 'Same HS 7208' }],
          page: { nextPageToken: 'next' },
        }),
      () =>
        json({ proposals: [{ id: 'p-2', status: 'PROPOSAL_STATUS_ACCEPTED_BY_ONE', score: 0.5 }], page: {} }),
    ]);
    expect(await run(['proposals', '--status', 'proposed,accepted_by_one'], h.io)).toBe(0);
    expect(h.seen.map((s) => s.url)).toEqual([
      'http://gw.test/v1/proposals?status=proposed&status=accepted_by_one&page_size=100',
      'http://gw.test/v1/proposals?status=proposed&status=accepted_by_one&page_size=100&page_token=next',
    ]);
    expect(h.stdout()).toBe(
      [
        'ID   STATUS           SCORE  REASON',
        'p-1  proposed          0.91  Same HS 7208',
        'p-2  accepted_by_one   0.50',
        '',
      ].join('\n'),
    );
  });

  it('accept and decline', async () => {
    const accept = harness([() => json({ proposal: { id: 'p/1', status: 'PROPOSAL_STATUS_ESTABLISHED' } })]);
    expect(await run(['accept', 'p/1'], accept.io)).toBe(0);
    expect(accept.seen[0]).toMatchObject({
      method: 'POST',
      url: 'http://gw.test/v1/proposals/p%2F1/acceptance',
    });
    expect(accept.stdout()).toBe('p/1: established (both sides accepted: contacts released)\n');

    const decline = harness([() => json({ proposal: { id: 'p-1', status: 'PROPOSAL_STATUS_DECLINED' } })]);
    expect(await run(['decline', 'p-1', '--reason', 'Too far'], decline.io)).toBe(0);
    expect(decline.seen[0]).toMatchObject({
      method: 'POST',
      url: 'http://gw.test/v1/proposals/p-1/decline',
      body: { reason: 'Too far' },
    });
    expect(decline.stdout()).toBe('p-1: declined\n');
  });

  it('usage mistakes exit 2 without a request; help exits 0', async () => {
    const h = harness([]);
    expect(await run(['decline', 'p-1'], h.io)).toBe(2);
    expect(h.stderr()).toBe('lienket: decline: say why with --reason "…"\nRun "lienket help" for usage.\n');
    expect(await run(['help', 'nope'], h.io)).toBe(2);
    expect(await run(['help'], h.io)).toBe(0);
    expect(h.stdout()).toContain('lienket tail [--type <prefix>]');
    expect(h.seen).toEqual([]);
  });

  it('a gateway it cannot reach exits 1 with the cause', async () => {
    const h = harness([]);
    expect(await run(['proposals'], h.io)).toBe(1);
    expect(h.stderr()).toBe('error: cannot reach http://gw.test: ECONNREFUSED: refused\n');
  });
});

describe('lienket tail', () => {
  const sse = (text: string) => new Response(text, { headers: { 'content-type': 'text/event-stream' } });
  const event = (id: string, type: string, data: unknown) =>
    `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify({ specversion: '1.0', id: `e-${id}`, type, source: '/lienket/registry', time: '2026-03-04T05:06:07Z', datacontenttype: 'application/json', data })}\n\n`;

  it('builds the stream URL from the filters; since only until it can resume', () => {
    const invocation = { url: 'http://gw.test' };
    const command = {
      name: 'tail' as const,
      filter: { type: ['vn.lienket.registry.'], province: ['01', '79'], region: [], sector: [] },
      since: '2026-01-01T00:00:00Z',
      json: false,
    };
    expect(streamUrl(invocation, command)).toBe(
      'http://gw.test/v1/events/stream?type=vn.lienket.registry.&province=01%2C79&since=2026-01-01T00%3A00%3A00Z',
    );
    expect(streamUrl(invocation, command, 'c-9')).toBe(
      'http://gw.test/v1/events/stream?type=vn.lienket.registry.&province=01%2C79',
    );
  });

  it('prints one line per event and resumes after a disconnect', async () => {
    let h!: ReturnType<typeof harness>;
    h = harness([
      () =>
        sse(
          `: heartbeat\n\n${event('c-1', 'vn.lienket.registry.need.posted.v1', { need: { id: 'n-1', title: 'Thép' } })}`,
        ),
      () => {
        h.stop.abort();
        return sse(event('c-2', 'vn.lienket.registry.need.closed.v1', { needId: 'n-1', reason: 'done' }));
      },
    ]);
    expect(await run(['tail', '--type', 'vn.lienket.registry.'], h.io)).toBe(0);
    expect(h.stdout()).toBe(
      [
        '2026-03-04T05:06:07Z  registry.need.posted.v1  need=n-1 title=Thép',
        '2026-03-04T05:06:07Z  registry.need.closed.v1  need=n-1 reason=done',
        '',
      ].join('\n'),
    );
    expect(h.seen.map((s) => s.headers['last-event-id'])).toEqual([undefined, 'c-1']);
    expect(h.stderr()).toBe('lienket: the event stream ended; reconnecting\n');
  });

  it('--json prints each CloudEvent as one JSON line', async () => {
    let h!: ReturnType<typeof harness>;
    h = harness([
      () => {
        h.stop.abort();
        return sse(event('c-1', 'vn.lienket.matchmaking.proposal.proposed.v1', { proposal: { id: 'p-1' } }));
      },
    ]);
    expect(await run(['tail', '--json'], h.io)).toBe(0);
    const lines = h.stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      id: 'e-c-1',
      type: 'vn.lienket.matchmaking.proposal.proposed.v1',
      data: { proposal: { id: 'p-1' } },
    });
  });

  it('stops with the problem when the stream refuses (a bad filter)', async () => {
    const h = harness([
      () =>
        json(
          {
            status: 400,
            detail: 'Invalid request: province',
            detail_vi: 'Yêu cầu không hợp lệ: province',
            errors: [
              {
                field: 'province',
                message: 'A two-digit province code: "1"',
                message_vi: 'Mã tỉnh hai chữ số: "1"',
              },
            ],
          },
          400,
        ),
    ]);
    expect(await run(['tail', '--province', '1'], h.io)).toBe(1);
    expect(h.stderr()).toContain('error: Invalid request: province\n       Yêu cầu không hợp lệ: province\n');
    expect(h.stderr()).toContain('Mã tỉnh hai chữ số');
  });

  it('refuses an answer that is not an event stream', async () => {
    const h = harness([() => json({ hello: 'world' })]);
    expect(await run(['tail'], h.io)).toBe(1);
    expect(h.stderr()).toMatch(/is not an event stream \(content type "application\/json"\)/);
  });
});
