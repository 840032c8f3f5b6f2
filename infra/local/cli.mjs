#!/usr/bin/env node
// npm run infra:up | infra:status | infra:down | infra:logs
import { spawn } from 'node:child_process';
import { down, logFiles, status, up } from './infra.mjs';

const [command = 'status', ...rest] = process.argv.slice(2);
const json = rest.includes('--json');

try {
  switch (command) {
    case 'up': {
      if (!json) process.stderr.write('LienKet infrastructure: starting\n');
      const result = await up({ quiet: false });
      if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else {
        process.stdout.write(
          `\nReady.\n  KAFKA_BROKERS=${result.kafkaBrokers}\n  MONGO_URL=${result.mongoUrl}\n`,
        );
        process.stdout.write(`  data and logs: ${result.home}\n`);
      }
      break;
    }
    case 'down':
      process.stderr.write('LienKet infrastructure: stopping\n');
      await down({});
      break;
    case 'status': {
      const s = await status({});
      if (json) process.stdout.write(`${JSON.stringify(s)}\n`);
      else {
        for (const [name, c] of Object.entries({ kafka: s.kafka, store: s.store })) {
          const state = c.pid ? (c.healthy ? 'running, healthy' : 'running, NOT answering') : 'stopped';
          process.stdout.write(
            `${name.padEnd(6)} ${state.padEnd(24)} ${c.address}${c.pid ? `  pid ${c.pid}` : ''}\n`,
          );
        }
        process.stdout.write(`home   ${s.home}\n`);
        if (!s.kafka.healthy || !s.store.healthy) process.exitCode = 3;
      }
      break;
    }
    case 'logs': {
      const files = logFiles({});
      if (files.length === 0) {
        process.stdout.write('no logs yet\n');
        break;
      }
      const follow = rest.includes('-f') || rest.includes('--follow');
      spawn('tail', [follow ? '-F' : '-n', ...(follow ? [] : ['40']), ...files], { stdio: 'inherit' });
      break;
    }
    default:
      process.stderr.write('usage: cli.mjs up|status|down|logs [--json] [-f]\n');
      process.exitCode = 2;
  }
} catch (error) {
  process.stderr.write(`\n${error.message}\n`);
  process.exitCode = 1;
}
