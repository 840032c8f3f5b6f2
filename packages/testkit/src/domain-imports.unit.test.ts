import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { forbiddenLoads, repositoryRoot, sourceFilesUnder } from './import-graph';

/**
 * Domain code is pure: importing it must load no transport, store, logger or metrics library,
 * directly or through a shared package (the errors it throws come from `@lienket/platform/errors`,
 * contract messages from `@lienket/contracts/messages`).
 */
const runtimes = new Set([
  '@grpc/grpc-js',
  'pino',
  'prom-client',
  'mongoose',
  'mongodb',
  'kafkajs',
  'express',
]);

const services = readdirSync(join(repositoryRoot, 'services'));
const domainFiles = services.flatMap((service) =>
  sourceFilesUnder(join(repositoryRoot, 'services', service, 'src/domain')),
);

describe('domain code loads no runtime', () => {
  it('finds the domain files of the services', () => {
    expect(domainFiles.length).toBeGreaterThan(10);
  });

  it.each(domainFiles.map((file) => [file.slice(repositoryRoot.length + 1), file]))('%s', (_name, file) => {
    const loads = forbiddenLoads(file, runtimes).map((load) => `${load.loads}: ${load.chain.join(' → ')}`);
    expect(loads).toEqual([]);
  });

  it('sees what a runtime barrel loads, and that the errors entry loads none of it', () => {
    const barrel = forbiddenLoads(join(repositoryRoot, 'packages/platform/src/index.ts'), runtimes);
    expect(barrel.map((load) => load.loads)).toEqual(
      expect.arrayContaining(['@grpc/grpc-js', 'pino', 'prom-client']),
    );
    expect(forbiddenLoads(join(repositoryRoot, 'packages/platform/src/errors.ts'), runtimes)).toEqual([]);
    expect(forbiddenLoads(join(repositoryRoot, 'packages/contracts/src/messages.ts'), runtimes)).toEqual([]);
  });
});
