import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@lienket/platform';
import type { Express } from 'express';
import { createApp } from '../src/app';
import { install } from '../src/asyncapi';
import { createVerifier } from '../src/auth';
import { loadGatewayConfig } from '../src/config';
import type { GatewayContext } from '../src/context';

// The gateway's HTTP stack (auth, rate limits, problems) with the AsyncAPI module installed from a
// real configuration: the document is public and describes this deployment's brokers and prefix.
describe('GET /asyncapi.json', () => {
  let server: Server;
  let base: string;
  const config = loadGatewayConfig({
    ...process.env,
    KAFKA_TOPIC_PREFIX: 'it-asyncapi.',
    PUBLIC_URL: 'https://api.lienket.example',
    AUTH_DEV_SECRET: 'a-development-secret-of-at-least-32-chars',
  });

  beforeAll(async () => {
    const extensions: ((app: Express) => void)[] = [];
    await install({ config, extensions } as unknown as GatewayContext);
    const log = { info() {}, warn() {}, error() {}, debug() {}, child: () => log } as unknown as Logger;
    const app = createApp({
      routes: [],
      verify: createVerifier({
        devSecret: config.AUTH_DEV_SECRET,
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
      }),
      log,
      corsOrigins: '',
      bodyLimit: config.BODY_LIMIT,
      rateLimitPerMinute: 1_000,
      publicUrl: 'https://api.lienket.example',
      extensions,
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });

  it('serves the document without a token', async () => {
    const response = await fetch(`${base}/asyncapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    type Node = { [key: string]: Node } & { address?: string; host?: string; asyncapi?: string };
    const document = (await response.json()) as Node;
    expect(document.asyncapi).toBe('3.0.0');
    expect(document.servers?.kafka?.host).toBe(config.KAFKA_BROKERS[0]);
    expect(document.servers?.gateway).toMatchObject({ host: 'api.lienket.example', protocol: 'https' });
    expect(document.channels?.matchmakingProposal?.address).toBe(
      'it-asyncapi.lienket.matchmaking.proposal.v1',
    );
    expect(document.channels?.matchmakingProposalDlq?.address).toBe(
      'it-asyncapi.lienket.matchmaking.proposal.v1.dlq',
    );
  });

  it('answers a matching If-None-Match with 304', async () => {
    const first = await fetch(`${base}/asyncapi.json`);
    const tag = first.headers.get('etag');
    expect(tag).toBeTruthy();
    const second = await fetch(`${base}/asyncapi.json`, { headers: { 'if-none-match': String(tag) } });
    expect(second.status).toBe(304);
  });
});
