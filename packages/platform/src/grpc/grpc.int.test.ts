import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { testingV1 } from '@lienket/contracts';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { AppError } from '../errors';
import { createLogger } from '../logging';
import { createGrpcClient } from './client';
import { bindService, type GrpcServer, startGrpcServer } from './server';

const log = createLogger({ service: 'grpc-test', level: 'silent' });
let server: GrpcServer;
let address: string;

beforeAll(async () => {
  const probe = bindService(
    'lienket.testing.v1.ProbeService',
    testingV1.ProbeServiceService,
    {
      async echo(request) {
        if (request.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, request.delayMs));
        if (request.failWithCode === 'DUPLICATE') {
          throw new AppError('ALREADY_EXISTS', 'Already registered', {
            code: 'DUPLICATE_TAX_CODE',
            messageVi: 'Đã đăng ký',
          });
        }
        if (request.failWithCode === 'CRASH') throw new Error('secret internal detail');
        return { text: request.text.toUpperCase(), answeredAt: new Date() };
      },
    },
    log,
  );
  server = await startGrpcServer({ services: [probe], port: 0, host: '127.0.0.1', log });
  address = `127.0.0.1:${server.port}`;
});

afterAll(() => server.stop(1_000));

describe('gRPC over a real socket', () => {
  const client = () => createGrpcClient(testingV1.ProbeServiceService, address, { deadlineMs: 2_000 });

  it('answers through the generated client', async () => {
    const probe = client();
    const response = await probe.echo({ text: 'liên kết', failWithCode: '', delayMs: 0 });
    expect(response.text).toBe('LIÊN KẾT');
    expect(response.answeredAt).toBeInstanceOf(Date);
    probe.close();
  });

  it('maps an application error to its status and back, with code and Vietnamese message', async () => {
    const probe = client();
    const failure = await probe.echo({ text: '', failWithCode: 'DUPLICATE', delayMs: 0 }).catch((e) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({
      kind: 'ALREADY_EXISTS',
      code: 'DUPLICATE_TAX_CODE',
      messageVi: 'Đã đăng ký',
    });
    probe.close();
  });

  it('hides internal errors behind INTERNAL', async () => {
    const probe = client();
    const failure = await probe.echo({ text: '', failWithCode: 'CRASH', delayMs: 0 }).catch((e) => e);
    expect(failure).toMatchObject({ kind: 'INTERNAL', message: 'Internal error' });
    expect(String(failure.message)).not.toContain('secret');
    probe.close();
  });

  it('enforces the deadline', async () => {
    const probe = client();
    const failure = await probe
      .echo({ text: '', failWithCode: '', delayMs: 1_000 }, { deadlineMs: 100 })
      .catch((e) => e);
    expect(failure).toMatchObject({ kind: 'DEADLINE_EXCEEDED' });
    probe.close();
  });

  it('answers grpc.health.v1 for the server and each service', async () => {
    const definition = grpc.loadPackageDefinition(
      protoLoader.loadSync(healthProtoPath, { enums: String }),
    ) as unknown as {
      grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
    };
    type CheckCallback = (error: Error | null, response: { status: string }) => void;
    const health = new definition.grpc.health.v1.Health(
      address,
      grpc.credentials.createInsecure(),
    ) as unknown as grpc.Client & {
      check(request: { service: string }, callback: CheckCallback): void;
    };
    const check = (service: string) =>
      new Promise<{ status: string }>((resolve, reject) =>
        health.check({ service }, (error, response) => (error ? reject(error) : resolve(response))),
      );
    expect((await check('')).status).toBe('SERVING');
    expect((await check('lienket.testing.v1.ProbeService')).status).toBe('SERVING');
    await expect(check('lienket.nope.v1.Nothing')).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    health.close();
  });

  it('lists its services through server reflection', async () => {
    const reflectionProto = join(
      require.resolve('@grpc/reflection/package.json'),
      '../build/proto/grpc/reflection/v1/reflection.proto',
    );
    const definition = grpc.loadPackageDefinition(protoLoader.loadSync(reflectionProto)) as unknown as {
      grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } };
    };
    const reflection = new definition.grpc.reflection.v1.ServerReflection(
      address,
      grpc.credentials.createInsecure(),
    );
    const stream = (
      reflection as unknown as { ServerReflectionInfo: () => grpc.ClientDuplexStream<unknown, unknown> }
    ).ServerReflectionInfo();
    const answer = new Promise<{ listServicesResponse: { service: { name: string }[] } }>(
      (resolve, reject) => {
        stream.on('data', resolve);
        stream.on('error', reject);
      },
    );
    stream.write({ listServices: '' });
    const names = (await answer).listServicesResponse.service.map((s) => s.name);
    stream.end();
    reflection.close();
    expect(names).toEqual(
      expect.arrayContaining(['lienket.testing.v1.ProbeService', 'grpc.health.v1.Health']),
    );
  });
});
