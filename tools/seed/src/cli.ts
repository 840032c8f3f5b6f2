#!/usr/bin/env node
// npm run seed -- [--enterprises N] [--seed S] [--url http://127.0.0.1:8080] [--token <admin JWT>]
//                 [--concurrency N] [--wait seconds] [--if-empty] [--quiet] [--json]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { terminalReporter } from './progress';
import { formatSummary, runSeed, silentReporter } from './run';
import { findDevSecret, lienketHome } from './tokens';

const USAGE = `usage: npm run seed -- [options]

  --enterprises N     how many enterprises (default 300)
  --seed S            the seed: the same seed gives the same data (default "lienket")
  --url URL           the gateway (default $LIENKET_URL or http://127.0.0.1:8080)
  --token JWT         an admin token (default $LIENKET_TOKEN, else one signed with the dev secret)
  --concurrency N     calls in flight at most (default 4; fewer while the platform is slow)
  --wait SECONDS      longest wait for matchmaking's proposals (default 120)
  --if-empty          seed only when the platform has no enterprises yet
  --quiet             no progress bar
  --json              print the summary as JSON

Officers' and enterprises' tokens are signed with the gateway's development secret:
$AUTH_DEV_SECRET, else LIENKET_HOME/dev-auth-secret (what \`npm start\` uses).
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      enterprises: { type: 'string', default: '300' },
      seed: { type: 'string', default: 'lienket' },
      url: { type: 'string', default: process.env.LIENKET_URL ?? 'http://127.0.0.1:8080' },
      token: { type: 'string', default: process.env.LIENKET_TOKEN },
      concurrency: { type: 'string', default: '4' },
      wait: { type: 'string', default: '120' },
      'if-empty': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const enterprises = Number(values.enterprises);
  const concurrency = Number(values.concurrency);
  const wait = Number(values.wait);
  if (!Number.isInteger(enterprises) || enterprises < 1 || enterprises > 100_000) {
    process.stderr.write(`--enterprises must be a whole number from 1 to 100000\n\n${USAGE}`);
    return 2;
  }
  if (!Number.isInteger(concurrency) || concurrency < 1 || !(wait >= 0)) {
    process.stderr.write(`--concurrency and --wait must be positive numbers\n\n${USAGE}`);
    return 2;
  }
  const secret = findDevSecret();
  if (!secret) {
    process.stderr.write(
      'The seed signs officers’ and enterprises’ development tokens with the gateway’s secret: set AUTH_DEV_SECRET,\n' +
        'or run it where `npm start` keeps LIENKET_HOME/dev-auth-secret.\n',
    );
    return 2;
  }
  const summary = await runSeed({
    url: values.url as string,
    enterprises,
    seed: values.seed as string,
    secret,
    adminToken: values.token || undefined,
    issuer: process.env.AUTH_ISSUER,
    audience: process.env.AUTH_AUDIENCE,
    concurrency,
    proposalWaitMs: wait * 1_000,
    ifEmpty: values['if-empty'] as boolean,
    reporter: values.quiet || values.json ? silentReporter : terminalReporter(),
  });
  process.stdout.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  if (!summary.skipped) {
    try {
      const home = lienketHome();
      mkdirSync(home, { recursive: true });
      writeFileSync(
        join(home, 'seed.json'),
        `${JSON.stringify({ seed: summary.seed, enterprises: summary.requested, url: values.url, finishedAt: new Date().toISOString(), summary }, null, 2)}\n`,
      );
    } catch {
      // The marker is informational only.
    }
  }
  return summary.failures > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`\nseed failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
