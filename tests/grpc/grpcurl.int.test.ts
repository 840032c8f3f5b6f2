/**
 * Every gRPC server as a reflection client sees it, through grpcurl itself (built once from the Go
 * module proxy into the LienKet cache): it lists the services, describes them, checks health and
 * makes one real call per service. grpcurl validates every descriptor it receives, as grpcui and
 * Postman do, so a malformed one served by reflection fails here.
 */
import { ACTOR_METADATA, type ActorRole, actorMetadata } from '@lienket/platform';
import { grpcurl, grpcurlPath } from '@lienket/testkit';
import { type Platform, startPlatform } from '../../services/gateway/test/platform';

const HEALTH = 'grpc.health.v1.Health';

/** The -H flag that names the caller (lienket-actor-bin, base64 as grpcurl expects for -bin). */
function actorHeader(role: ActorRole): string[] {
  const value = actorMetadata({ role, enterpriseId: '', provinceCode: '', subject: `${role}-grpcurl` }).get(
    ACTOR_METADATA,
  )[0] as Buffer;
  return ['-H', `${ACTOR_METADATA}: ${value.toString('base64')}`];
}

/** A call through grpcurl with a JSON request; its JSON answer (zero values included). */
async function call(address: string, method: string, request: unknown, role: ActorRole = 'admin') {
  const result = await grpcurl(
    address,
    [method],
    ['-emit-defaults', ...actorHeader(role), '-d', JSON.stringify(request)],
  );
  expect({ method, status: result.status, stderr: result.stderr }).toEqual({ method, status: 0, stderr: '' });
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

let platform: Platform;
beforeAll(async () => {
  grpcurlPath(); // builds it on the first run, before the servers start
  platform = await startPlatform('grpcurl');
}, 600_000);
afterAll(() => platform?.stop());

const servers: { name: string; service: string | undefined; address: () => string }[] = [
  { name: 'registry', service: 'lienket.registry.v1.RegistryService', address: () => at(platform.registry) },
  {
    name: 'matchmaking',
    service: 'lienket.matchmaking.v1.MatchmakingService',
    address: () => at(platform.matchmaking),
  },
  {
    name: 'techtransfer',
    service: 'lienket.techtransfer.v1.TechTransferService',
    address: () => at(platform.techtransfer),
  },
  { name: 'insights', service: 'lienket.insights.v1.InsightsService', address: () => at(platform.insights) },
  { name: 'gateway', service: undefined, address: () => at(platform.gateway) },
];
const at = (service: { grpcPort: number }) => `127.0.0.1:${service.grpcPort}`;

describe.each(servers)('$name through grpcurl', ({ service, address }) => {
  it('lists its services and health', async () => {
    const result = await grpcurl(address(), ['list']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout.trim().split('\n').sort()).toEqual([...(service ? [service] : []), HEALTH].sort());
  });

  it('describes its services and every type they use', async () => {
    for (const name of [...(service ? [service] : []), HEALTH]) {
      const result = await grpcurl(address(), ['describe', name]);
      expect({ name, status: result.status, stderr: result.stderr }).toEqual({ name, status: 0, stderr: '' });
      expect(result.stdout).toContain(`${name} is a service:`);
    }
    // The health messages, including the map of grpc.health.v1.Health/List.
    const list = await grpcurl(address(), ['describe', 'grpc.health.v1.HealthListResponse']);
    expect(list).toMatchObject({ status: 0, stderr: '' });
    expect(list.stdout).toContain('map<string, .grpc.health.v1.HealthCheckResponse> statuses = 1;');
  });

  it('answers the health check: SERVING, for the server and for its service', async () => {
    for (const name of ['', ...(service ? [service] : [])]) {
      expect({ name, answer: await call(address(), `${HEALTH}/Check`, { service: name }) }).toEqual({
        name,
        answer: { status: 'SERVING' },
      });
    }
    const unknown = await grpcurl(address(), [`${HEALTH}/Check`], ['-d', '{"service":"no.such.Service"}']);
    expect(unknown.status).toBe(64 + 5); // NOT_FOUND
  });
});

describe('one real call per service through grpcurl', () => {
  it('registry: RegisterEnterprise', async () => {
    const answer = await call(
      at(platform.registry),
      'lienket.registry.v1.RegistryService/RegisterEnterprise',
      {
        enterprise: {
          taxCode: '0100109106',
          name: 'Hợp tác xã Mây tre đan Phú Vinh',
          kind: 'ENTERPRISE_KIND_COOPERATIVE',
          provinceCode: '01',
          address: 'Phú Nghĩa, Chương Mỹ, Hà Nội',
          primaryVsic: '1629',
          sizeBand: 'SIZE_BAND_SMALL',
          contact: { person: 'Nguyễn Văn An', phone: '0912 345 678', email: 'an@phuvinh.vn' },
        },
      },
    );
    expect(answer.enterprise).toMatchObject({
      id: expect.any(String),
      taxCode: '0100109106',
      name: 'Hợp tác xã Mây tre đan Phú Vinh',
      kind: 'ENTERPRISE_KIND_COOPERATIVE',
      version: expect.anything(),
    });
  });

  it('matchmaking: ListProposals', async () => {
    const answer = await call(
      at(platform.matchmaking),
      'lienket.matchmaking.v1.MatchmakingService/ListProposals',
      {
        provinceCode: '01',
      },
    );
    expect(answer).toMatchObject({ proposals: [] });
  });

  it('techtransfer: SearchOffers', async () => {
    const answer = await call(
      at(platform.techtransfer),
      'lienket.techtransfer.v1.TechTransferService/SearchOffers',
      { filter: { vsicPrefix: '28', minReadinessLevel: 5 } },
    );
    expect(answer).toMatchObject({ offers: [] });
  });

  it('insights: GetProvinceSummary', async () => {
    const answer = await call(
      at(platform.insights),
      'lienket.insights.v1.InsightsService/GetProvinceSummary',
      { province: '01' },
      'analyst',
    );
    expect(answer).toMatchObject({ province: '01', provinceName: 'Hà Nội' });
  });

  it('gateway: its only service, Health/Check', async () => {
    const result = await grpcurl(at(platform.gateway), [`${HEALTH}/Check`], ['-d', '{"service":""}']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({ status: 'SERVING' });
  });
});
