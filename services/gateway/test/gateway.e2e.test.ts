import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '@lienket/platform';
import { waitFor } from '@lienket/testkit';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { validTaxCode } from '../../registry/test/fixtures';
import { gatewayConfigSchema } from '../src/config';
import { startGateway } from '../src/service';
import { DEV_SECRET, http, type Platform, startPlatform, tokenFor } from './platform';

let platform: Platform;
let url: string;
let admin: string;

beforeAll(async () => {
  platform = await startPlatform('gateway-e2e', {
    CORS_ORIGINS: 'https://portal.lienket.example',
    // Long, so that only invalidation can make a cached answer go (the read cache test).
    READ_CACHE_TTL_MS: '600000',
  });
  url = platform.url;
  admin = await tokenFor({ sub: 'admin-1', role: 'admin' });
});

afterAll(async () => {
  await platform?.stop();
});

const taxCode = () => validTaxCode(400_000_000 + Math.floor(Math.random() * 500_000_000));

async function register(name: string, provinceCode: string, phone: string) {
  const created = await http<{ enterprise: { id: string } }>(url, 'POST', '/v1/enterprises', {
    token: admin,
    body: {
      taxCode: taxCode(),
      name,
      kind: 'ENTERPRISE_KIND_COOPERATIVE',
      provinceCode,
      primaryVsic: '1702',
      contact: { person: name, phone, email: 'lienhe@example.vn' },
    },
  });
  expect(created.status).toBe(201);
  return created.body.enterprise.id;
}

describe('the journey over HTTP', () => {
  it('register → need → a proposal both parties see → both accept → contacts for both and nobody else', async () => {
    const started = new Date(Date.now() - 1_000);
    const buyerId = await register('Công ty Bao bì Thái Nguyên', '19', '0912345001');
    const supplierId = await register('HTX Giấy Kraft Phú Bình', '19', '0912345002');
    const strangerId = await register('Công ty Giấy Hải Phòng', '31', '0912345003');
    const buyer = await tokenFor({ sub: 'u-buyer', role: 'enterprise', enterprise_id: buyerId });
    const supplier = await tokenFor({ sub: 'u-supplier', role: 'enterprise', enterprise_id: supplierId });
    const stranger = await tokenFor({ sub: 'u-stranger', role: 'enterprise', enterprise_id: strangerId });
    const analyst = await tokenFor({ sub: 'analyst-1', role: 'analyst' });

    const capability = await http<{ capability: { id: string } }>(url, 'POST', '/v1/capabilities', {
      token: supplier,
      body: {
        enterpriseId: supplierId,
        title: 'Giấy kraft cuộn làm thùng carton',
        description: 'Giấy kraft nâu định lượng 150-250 g/m²',
        hsCodes: ['480411'],
        monthlyCapacity: { value: 300, unit: 'tấn' },
        leadTimeDays: 10,
      },
    });
    expect(capability.status).toBe(201);
    const need = await http<{ need: { id: string } }>(url, 'POST', '/v1/needs', {
      token: buyer,
      body: {
        enterpriseId: buyerId,
        title: 'Cần giấy kraft cuộn cho dây chuyền thùng carton',
        description: 'Giấy kraft nâu, 100 tấn mỗi tháng',
        category: 'NEED_CATEGORY_MATERIAL',
        hsCodes: ['480411'],
        quantityPerMonth: { value: 100, unit: 'tấn' },
      },
    });
    expect(need.status).toBe(201);

    type Proposals = { proposals?: { id: string; needId: string; capabilityId: string; reason: string }[] };
    const proposal = await waitFor(
      async () => {
        const listed = await http<Proposals>(url, 'GET', '/v1/proposals', { token: buyer });
        return listed.body.proposals?.find((p) => p.needId === need.body.need.id);
      },
      { timeoutMs: 30_000, what: 'a proposal for the need' },
    );
    expect(proposal.capabilityId).toBe(capability.body.capability.id);
    expect(proposal.reason).not.toBe('');
    const seenBySupplier = await http<Proposals>(url, 'GET', '/v1/proposals', { token: supplier });
    expect(seenBySupplier.body.proposals?.map((p) => p.id)).toContain(proposal.id);
    expect((await http(url, 'GET', `/v1/proposals/${proposal.id}`, { token: stranger })).status).toBe(404);
    expect(
      (await http(url, 'GET', `/v1/proposals?enterprise_id=${buyerId}`, { token: stranger })).status,
    ).toBe(403);

    const contactOf = (enterpriseId: string, token?: string) =>
      http<{ contact?: { phone: string } }>(
        url,
        'GET',
        `/v1/enterprises/${enterpriseId}/contact?match_id=${proposal.id}`,
        {
          token,
        },
      );
    expect((await contactOf(supplierId, buyer)).status).toBe(403);
    expect(
      (await http(url, 'POST', `/v1/proposals/${proposal.id}/acceptance`, { token: stranger })).status,
    ).toBe(403);
    expect(
      (await http(url, 'POST', `/v1/proposals/${proposal.id}/acceptance`, { token: buyer })).status,
    ).toBe(200);
    expect((await contactOf(supplierId, buyer)).status).toBe(403);
    const established = await http<{ proposal: { status: string } }>(
      url,
      'POST',
      `/v1/proposals/${proposal.id}/acceptance`,
      {
        token: supplier,
      },
    );
    expect(established.body.proposal.status).toBe('PROPOSAL_STATUS_ESTABLISHED');

    const released = await waitFor(
      async () => {
        const r = await contactOf(supplierId, buyer);
        return r.status === 200 ? r.body.contact : undefined;
      },
      { timeoutMs: 20_000, what: 'the supplier contact released to the buyer' },
    );
    expect(released?.phone).toBe('0912345002');
    expect((await contactOf(buyerId, supplier)).body.contact?.phone).toBe('0912345001');
    expect((await contactOf(supplierId, stranger)).status).toBe(403);
    expect((await contactOf(supplierId, analyst)).status).toBe(403);
    expect((await contactOf(supplierId)).status).toBe(401);
    // No other route leaks it: profiles, searches, proposals, insights, for any role that may read them.
    const phones = ['0912345001', '0912345002'];
    const reads = [
      `/v1/enterprises/${supplierId}`,
      `/v1/enterprises?province=19`,
      `/v1/postings?kind=need&province=19`,
      `/v1/postings?kind=capability&province=19`,
      `/v1/proposals/${proposal.id}`,
      '/v1/insights/lead-firms',
      '/v1/insights/provinces/19',
    ];
    for (const token of [stranger, analyst, buyer, undefined]) {
      for (const path of reads) {
        const answer = await http(url, 'GET', path, { token });
        const text = JSON.stringify(answer.body);
        for (const phone of phones) expect(`${path}: ${text.includes(phone)}`).toBe(`${path}: false`);
      }
    }
    // Nor does the event stream, replayed from the start of the journey.
    const stream = await fetch(`${url}/v1/events/stream?since=${encodeURIComponent(started.toISOString())}`, {
      headers: { authorization: `Bearer ${analyst}` },
    });
    expect(stream.status).toBe(200);
    const reader = stream.body?.getReader();
    let seen = '';
    const until = Date.now() + 4_000;
    while (reader && Date.now() < until && !seen.includes('linkage_established')) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<{ value: undefined }>((r) => setTimeout(() => r({ value: undefined }), 500)),
      ]);
      if (chunk.value) seen += Buffer.from(chunk.value).toString('utf8');
    }
    await reader?.cancel();
    expect(seen).toContain('vn.lienket.matchmaking.proposal.linkage_established.v1');
    expect(seen).toContain('vn.lienket.registry.enterprise.registered.v1');
    for (const phone of phones) expect(seen.includes(phone)).toBe(false);
    expect(seen.includes('lienhe@example.vn')).toBe(false);
  });
});

describe('HTTP behaviour', () => {
  it('answers bad input with problem+json naming the fields, and keeps request ids', async () => {
    const bad = await http<{ status: number; code: string; errors: { field: string }[]; request_id: string }>(
      url,
      'POST',
      '/v1/enterprises',
      {
        token: admin,
        body: { name: 'X', kind: 'NOT_A_KIND', surprise: true },
        headers: { 'x-request-id': 'req-123' },
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.headers.get('x-request-id')).toBe('req-123');
    expect(bad.body.request_id).toBe('req-123');
    expect(bad.body.errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['body.surprise', 'body.kind']),
    );

    const malformed = await http<{ errors: { field: string }[] }>(url, 'POST', '/v1/enterprises', {
      token: admin,
      body: { taxCode: '123', name: 'Công ty', provinceCode: '99', kind: 'ENTERPRISE_KIND_ENTERPRISE' },
    });
    // The document states the tax code's format, the province codes and what is required: 400.
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['body.taxCode', 'body.provinceCode', 'body.primaryVsic']),
    );
    const invalid = await http<{ errors: { field: string }[] }>(url, 'POST', '/v1/enterprises', {
      token: admin,
      body: {
        taxCode: '0100109107',
        name: 'Công ty',
        provinceCode: '01',
        kind: 'ENTERPRISE_KIND_ENTERPRISE',
        primaryVsic: '1010',
      },
    });
    // The document admits it; the check digit (6 here) no pattern states: 422, fields named as sent.
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors.map((e) => e.field)).toEqual(['body.taxCode']);

    expect((await http(url, 'POST', '/v1/needs', { token: admin, body: '{"title": ' })).status).toBe(400);
    const huge = await http(url, 'POST', '/v1/needs', { token: admin, body: { title: 'x'.repeat(300_000) } });
    expect(huge.status).toBe(413);
    let deep: unknown = 'x';
    for (let i = 0; i < 60; i++) deep = { a: deep };
    expect((await http(url, 'POST', '/v1/needs', { token: admin, body: deep })).status).toBe(400);
    expect((await http(url, 'GET', '/v1/no-such-route')).status).toBe(404);
    const injected = await http(url, 'GET', '/v1/postings?kind=need&province[$ne]=01', {});
    expect(injected.status).toBe(400);
    expect((await http(url, 'GET', `/v1/enterprises/${encodeURIComponent('{"$ne":null}')}`)).status).toBe(
      400,
    );
    // A catastrophic pattern is only ever text: answered at once, never run as a regular expression.
    const started = Date.now();
    const redos = await http(
      url,
      'GET',
      `/v1/postings?kind=need&text=${encodeURIComponent(`${'(a+)+'.repeat(20)}$`)}`,
    );
    expect(redos.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    const operatorBody = await http<{ errors: { field: string }[] }>(url, 'POST', '/v1/needs', {
      token: admin,
      body: { enterpriseId: { $ne: null }, title: { $where: 'sleep(1000)' } },
    });
    expect(operatorBody.status).toBe(400);
    expect(operatorBody.body.errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['body.enterpriseId', 'body.title']),
    );
  });

  it('serves ETags and answers If-None-Match with 304', async () => {
    const first = await http(url, 'GET', '/v1/postings?kind=need&province=19');
    expect(first.status).toBe(200);
    const tag = first.headers.get('etag');
    expect(tag).toMatch(/^W\/"/);
    const again = await http(url, 'GET', '/v1/postings?kind=need&province=19', {
      headers: { 'if-none-match': tag as string },
    });
    expect(again.status).toBe(304);
    const other = await http(url, 'GET', '/v1/postings?kind=capability&province=19', {
      headers: { 'if-none-match': tag as string },
    });
    expect(other.status).toBe(200);
  });

  it('sends security headers and answers CORS for the configured origin only', async () => {
    const allowed = await http(url, 'GET', '/v1/postings?kind=need', {
      headers: { origin: 'https://portal.lienket.example' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://portal.lienket.example');
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(allowed.headers.get('strict-transport-security')).toContain('max-age');
    expect(allowed.headers.get('content-security-policy')).toContain("default-src 'self'");
    const other = await http(url, 'GET', '/v1/postings?kind=need', {
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses expired, forged, wrong-audience and role-less tokens', async () => {
    const { SignJWT } = await import('jose');
    const sign = (
      claims: Record<string, unknown>,
      secret = DEV_SECRET,
      audience = 'lienket-api',
      exp = '1h',
    ) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('lienket-dev')
        .setAudience(audience)
        .setSubject('someone')
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));
    const call = (token: string) => http<{ code: string }>(url, 'GET', '/v1/proposals', { token });
    const expired = await call(await tokenFor({ sub: 'a', role: 'admin' }, '-1m'));
    expect(expired.status).toBe(401);
    expect(
      (await call(await sign({ role: 'admin' }, 'another-secret-another-secret-another-secret'))).status,
    ).toBe(401);
    expect((await call(await sign({ role: 'admin' }, DEV_SECRET, 'someone-else'))).status).toBe(401);
    expect((await call(await sign({}))).status).toBe(401);
    expect((await call(await sign({ role: 'enterprise' }))).status).toBe(401);
    expect((await call('not.a.token')).status).toBe(401);
    expect(
      (await http(url, 'GET', '/v1/proposals', { headers: { authorization: 'Basic abc' } })).status,
    ).toBe(401);
    expect((await call(await sign({ role: 'admin' }))).status).toBe(200);
  });

  it('limits each caller’s request rate with 429 and Retry-After', async () => {
    const limited = await startGateway(
      parseConfig(gatewayConfigSchema, {
        HTTP_PORT: '0',
        GRPC_PORT: '0',
        METRICS_PORT: '0',
        MONGO_URL: platform.infra.mongoUrl,
        MONGO_DB: platform.infra.databaseFor('gateway-limited'),
        KAFKA_BROKERS: platform.infra.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: platform.infra.topicPrefix,
        REGISTRY_ADDR: `127.0.0.1:${platform.registry.grpcPort}`,
        AUTH_DEV_SECRET: DEV_SECRET,
        RATE_LIMIT_PER_MINUTE: '3',
      }),
      platform.infra.log,
    );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await http(limited.url, 'GET', '/v1/postings?kind=need')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await http(limited.url, 'GET', '/v1/postings?kind=need');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another caller has its own budget.
      const other = await http(limited.url, 'GET', '/v1/postings?kind=need', { token: admin });
      expect(other.status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});

describe('the read cache', () => {
  it('serves an enterprise profile from the cache, and never after a change made here or through another gateway', async () => {
    // A second instance, as behind a load balancer, with its own cache and invalidating consumer.
    const other = await startGateway(
      parseConfig(gatewayConfigSchema, {
        HTTP_PORT: '0',
        GRPC_PORT: '0',
        METRICS_PORT: '0',
        MONGO_URL: platform.infra.mongoUrl,
        MONGO_DB: platform.infra.databaseFor('gateway-other'),
        READ_CACHE_TTL_MS: '600000',
        KAFKA_BROKERS: platform.infra.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: platform.infra.topicPrefix,
        REGISTRY_ADDR: `127.0.0.1:${platform.registry.grpcPort}`,
        AUTH_DEV_SECRET: DEV_SECRET,
        RATE_LIMIT_PER_MINUTE: '100000',
        GRPC_DEADLINE_MS: '20000',
      }),
      platform.infra.log,
    );
    try {
      await waitFor(() => platform.gateway.cache.live && other.cache.live, {
        timeoutMs: 60_000,
        what: 'both read caches to be live',
      });
      const id = await register('HTX Mây tre đan Phú Vinh', '01', '0912000555');
      const owner = await tokenFor({ sub: 'owner-cache', role: 'enterprise', enterprise_id: id });
      const read = async (base: string) => {
        const answer = await http<{ enterprise: { name: string; version: string } }>(
          base,
          'GET',
          `/v1/enterprises/${id}`,
        );
        expect(answer.status).toBe(200);
        return {
          name: answer.body.enterprise.name,
          cache: answer.headers.get('x-cache'),
          etag: answer.headers.get('etag'),
        };
      };

      // Misses of the same entry at the same time share one call to the registry.
      const getCalls = async () => {
        const text = await fetch(`http://127.0.0.1:${platform.registry.metricsPort}/metrics`).then((r) =>
          r.text(),
        );
        return [
          ...text.matchAll(
            /^lienket_grpc_server_requests_total\{method="[^"]*GetEnterprise",[^}]*\} (\d+)/gm,
          ),
        ]
          .map((m) => Number(m[1]))
          .reduce((a, b) => a + b, 0);
      };
      const callsBefore = await getCalls();
      const together = await Promise.all(Array.from({ length: 40 }, () => read(url)));
      expect(new Set(together.map((r) => r.etag)).size).toBe(1);
      expect((await getCalls()) - callsBefore).toBeLessThanOrEqual(2);

      const first = await read(url);
      expect(first.name).toBe('HTX Mây tre đan Phú Vinh');
      // The registration's own event may still drop the first entry; from then on it is served.
      let hit: Awaited<ReturnType<typeof read>> | undefined;
      await waitFor(
        async () => {
          hit = await read(url);
          return hit.cache === 'hit';
        },
        { timeoutMs: 30_000, what: 'a cache hit' },
      );
      expect(hit).toMatchObject({ name: 'HTX Mây tre đan Phú Vinh', etag: first.etag });
      expect((await read(other.url)).cache).toBe('miss');
      await waitFor(async () => (await read(other.url)).cache === 'hit', {
        timeoutMs: 30_000,
        what: 'a cache hit on the other gateway',
      });
      // If-None-Match against a cached answer is still a 304.
      const revalidated = await http(url, 'GET', `/v1/enterprises/${id}`, {
        headers: { 'if-none-match': String(first.etag) },
      });
      expect(revalidated.status).toBe(304);

      // A change through this gateway: it reads its own write at once.
      const changed = await http(url, 'PATCH', `/v1/enterprises/${id}`, {
        token: owner,
        body: { enterprise: { name: 'HTX Mây tre đan Phú Vinh Xanh' }, updateMask: 'name' },
      });
      expect(changed.status).toBe(200);
      expect(await read(url)).toMatchObject({ name: 'HTX Mây tre đan Phú Vinh Xanh', cache: 'miss' });
      // The other gateway drops its entry when the registry's EnterpriseUpdated arrives.
      await waitFor(async () => (await read(other.url)).name === 'HTX Mây tre đan Phú Vinh Xanh', {
        timeoutMs: 30_000,
        what: 'the other gateway to drop its cached profile',
      });

      // A change through the other gateway reaches this one the same way.
      // (This gateway's entry is dropped again by the event of its own change, then served.)
      await waitFor(async () => (await read(url)).cache === 'hit', {
        timeoutMs: 30_000,
        what: 'a cache hit',
      });
      const renamed = await http(other.url, 'PATCH', `/v1/enterprises/${id}`, {
        token: owner,
        body: { enterprise: { name: 'HTX Phú Vinh' }, updateMask: 'name' },
      });
      expect(renamed.status).toBe(200);
      await waitFor(async () => (await read(url)).name === 'HTX Phú Vinh', {
        timeoutMs: 30_000,
        what: 'this gateway to drop its cached profile',
      });
      const hits = await fetch(`http://127.0.0.1:${platform.gateway.metricsPort}/metrics`).then((r) =>
        r.text(),
      );
      expect(hits).toMatch(/lienket_gateway_read_cache_lookups_total\{result="hit"\} [1-9]/);
    } finally {
      await other.stop();
    }
  });
});

describe('metrics', () => {
  it('exposes request rate and latency, consumer lag, outbox backlog and DLQ sizes on each service’s /metrics', async () => {
    await http(url, 'GET', '/v1/postings?kind=need');
    const scrape = async (port: number) => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.headers.get('content-type')).toContain('text/plain');
      return response.text();
    };
    const services = [
      platform.registry,
      platform.matchmaking,
      platform.techtransfer,
      platform.insights,
      platform.gateway,
    ];
    for (const service of services)
      expect(await scrape(service.metricsPort)).toMatch(/^process_cpu_seconds_total \d/m);
    const text = await scrape(platform.gateway.metricsPort);
    expect(text).toMatch(
      /lienket_http_requests_total\{method="GET",route="\/v1\/postings",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /lienket_http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/v1\/postings"\}/,
    );
    expect(text).toMatch(
      /lienket_grpc_server_requests_total\{method="\/lienket\.registry\.v1\.RegistryService\/SearchPostings",code="OK"\} [1-9]/,
    );
    expect(text).toMatch(
      /lienket_grpc_server_duration_seconds_count\{method="\/lienket\.registry\.v1\.RegistryService\/SearchPostings"\} [1-9]/,
    );
    expect(text).toMatch(/lienket_consumer_lag_messages\{group="[^"]+",topic="[^"]+",partition="\d+"\} \d+/);
    expect(text).toMatch(
      /lienket_events_processed_total\{group="[^"]+",type="vn\.lienket\.registry\.enterprise\.registered\.v1",outcome="applied"\} [1-9]/,
    );
    expect(text).toMatch(/lienket_outbox_backlog_documents\{collection="postings"\} \d+/);
    expect(text).toMatch(/lienket_dlq_messages\{topic="[^"]+\.dlq"\} \d+/);
    expect((await fetch(`http://127.0.0.1:${platform.gateway.metricsPort}/other`)).status).toBe(404);
  });
});

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, served with a docs page', async () => {
    const document = await http<{ openapi: string; paths: Record<string, unknown> }>(
      url,
      'GET',
      '/openapi.json',
    );
    expect(document.body.openapi).toBe('3.1.0');
    // The OpenAPI 3.1 meta-schema (as published by the OpenAPI Initiative, shipped in an npm package).
    const metaSchema = JSON.parse(
      readFileSync(
        join(__dirname, '../../../node_modules/@seriousme/openapi-schema-validator/schemas/v3.1/schema.json'),
        'utf8',
      ),
    );
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('media-range', true);
    const validate = ajv.compile(metaSchema);
    expect(validate(document.body) ? [] : validate.errors).toEqual([]);
    // And every schema in it compiles as JSON Schema 2020-12, so clients can validate with them.
    const components = (document.body as unknown as { components: { schemas: Record<string, object> } })
      .components.schemas;
    const withSchemas = new Ajv2020({ strict: false });
    addFormats(withSchemas);
    withSchemas.addSchema({ $id: 'https://lienket.vn/openapi', components: { schemas: components } });
    for (const name of Object.keys(components))
      expect(withSchemas.getSchema(`https://lienket.vn/openapi#/components/schemas/${name}`)).toBeInstanceOf(
        Function,
      );
    expect(Object.keys(document.body.paths)).toContain('/v1/needs');
    const docs = await fetch(`${url}/docs`);
    expect(await docs.text()).toContain('/docs/init.js');
    expect((await fetch(`${url}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
  });
});

const isStream = (operation: Operation) =>
  Boolean(operation.responses?.['200']?.content?.['text/event-stream']);

type Operation = {
  responses?: Record<string, { content?: Record<string, unknown> }>;
  operationId: string;
  'x-lienket-callers': string[];
  parameters: {
    name: string;
    in: string;
    required: boolean;
    schema: { type?: string; enum?: string[]; items?: { enum?: string[] } };
  }[];
  requestBody?: unknown;
};

describe('authorisation of every route', () => {
  it('refuses every role a route does not allow, lets the others through, and exercises every documented operation', async () => {
    const document = (
      await http<{ paths: Record<string, Record<string, Operation>> }>(url, 'GET', '/openapi.json')
    ).body;
    const roles = ['anonymous', 'enterprise', 'province', 'analyst', 'admin'] as const;
    const tokens: Record<string, string | undefined> = {
      anonymous: undefined,
      enterprise: await tokenFor({ sub: 'm-ent', role: 'enterprise', enterprise_id: 'matrix-enterprise' }),
      province: await tokenFor({ sub: 'm-prov', role: 'province', province_code: '01' }),
      analyst: await tokenFor({ sub: 'm-analyst', role: 'analyst' }),
      admin,
    };
    const exercised = new Set<string>();
    const outcomes: string[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const concrete = path.replace(/\{[^}]+\}/g, 'matrix-id-1');
        const query = (operation.parameters ?? [])
          .filter((p) => p.in === 'query' && p.required)
          .map(
            (p) =>
              `${p.name}=${encodeURIComponent(p.schema.enum?.[0] ?? p.schema.items?.enum?.[0] ?? 'matrix-id-1')}`,
          )
          .join('&');
        const target = query ? `${concrete}?${query}` : concrete;
        for (const role of roles) {
          if (isStream(operation)) {
            // An endless stream: only its status and the problem, if any, are looked at.
            const abort = new AbortController();
            const token = tokens[role];
            const answer = await fetch(`${url}${target}`, {
              signal: abort.signal,
              headers: token ? { authorization: `Bearer ${token}` } : {},
            });
            const code = answer.status === 200 ? '' : ((await answer.json()) as { code?: string }).code;
            abort.abort();
            const allowed = operation['x-lienket-callers'].includes(role);
            if (allowed !== (answer.status === 200))
              outcomes.push(`${method.toUpperCase()} ${path} as ${role}: ${answer.status} ${code ?? ''}`);
            continue;
          }
          const response = await http<{ code?: string }>(url, method.toUpperCase(), target, {
            token: tokens[role],
            ...(operation.requestBody ? { body: {} } : {}),
          });
          const allowed = operation['x-lienket-callers'].includes(role);
          const refusedByRole =
            response.status === 401 || (response.status === 403 && response.body.code === 'ROLE_NOT_ALLOWED');
          if (allowed === refusedByRole || response.status >= 500)
            outcomes.push(
              `${method.toUpperCase()} ${path} as ${role}: ${response.status} ${response.body.code ?? ''}`,
            );
          if (!allowed) {
            expect(response.headers.get('content-type')).toContain('application/problem+json');
            expect(response.status).toBe(role === 'anonymous' ? 401 : 403);
          }
        }
        exercised.add(operation.operationId);
      }
    }
    expect(outcomes).toEqual([]);
    const documented = Object.values(document.paths).flatMap((m) =>
      Object.values(m).map((o) => o.operationId),
    );
    expect(documented.length).toBeGreaterThan(50);
    expect([...exercised].sort()).toEqual([...new Set(documented)].sort());
  });
});
