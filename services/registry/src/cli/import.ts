#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
// npm run registry:import -- <file.csv|file.jsonl> [--addr host:port] [--concurrency N] [--report file]
import { registryServiceV1 as api } from '@lienket/contracts';
import { createGrpcClient } from '@lienket/platform';
import { SingleBar } from 'cli-progress';
import { importEnterprises } from './importer';

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      addr: { type: 'string', default: process.env.REGISTRY_ADDR ?? '127.0.0.1:50051' },
      concurrency: { type: 'string', default: '8' },
      report: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file) {
    process.stderr.write(
      'usage: npm run registry:import -- <file.csv|file.jsonl> [--addr host:port] [--concurrency N] [--report errors.jsonl]\n',
    );
    process.exit(2);
  }
  const client = createGrpcClient(api.RegistryServiceService, values.addr as string, { deadlineMs: 15_000 });
  try {
    await client.ready(5_000);
  } catch {
    process.stderr.write(
      `The registry does not answer at ${values.addr}; start the platform (npm start) or pass --addr.\n`,
    );
    process.exit(1);
  }
  const bar = new SingleBar({
    format: 'importing [{bar}] {value}/{total} rows  {percentage}%  eta {eta}s',
    hideCursor: true,
    stream: process.stderr,
  });
  let started = false;
  const report = await importEnterprises(client, file, readFileSync(file, 'utf8'), {
    concurrency: Number(values.concurrency),
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
  });
  bar.stop();
  client.close();
  const reportFile = values.report ?? `${file}.errors.jsonl`;
  if (report.errors.length > 0)
    writeFileSync(reportFile, `${report.errors.map((e) => JSON.stringify(e)).join('\n')}\n`);
  process.stdout.write(
    `\n${report.rows} rows: ${report.imported} imported, ${report.existing} already registered, ${report.failed} failed` +
      `\n${report.seconds.toFixed(1)} s, ${report.rowsPerSecond} rows/s` +
      (report.errors.length > 0 ? `\nrow errors: ${reportFile}\n` : '\n'),
  );
  process.exitCode = report.failed > 0 ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`import failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
