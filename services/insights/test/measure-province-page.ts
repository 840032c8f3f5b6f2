// What the province page's summary costs on the seeded data: the whole platform in-process on the real
// Kafka and store, `npm start`'s seed (60 enterprises), then timed reads of /v1/insights/provinces/19.
// A measurement, not a test: `npx tsx services/insights/test/measure-province-page.ts [enterprises] [reads]`
// (KAFKA_BROKERS / MONGO_URL as for the integration tests).
import { runSeed, silentReporter } from '@lienket/seed';
import { DEV_SECRET, startPlatform } from '../../gateway/test/platform';

async function main() {
  const enterprises = Number(process.argv[2] ?? 60);
  const reads = Number(process.argv[3] ?? 10);
  const platform = await startPlatform('measure-province-page');
  try {
    const seeded = await runSeed({
      url: platform.url,
      enterprises,
      seed: 'lienket',
      secret: DEV_SECRET,
      issuer: 'lienket-dev',
      audience: 'lienket-api',
      reporter: silentReporter,
    });
    process.stdout.write(`seeded ${enterprises} enterprises in ${Math.round(seeded.elapsedMs)} ms\n`);
    const timings: number[] = [];
    let first = 0;
    for (let i = 0; i < reads + 2; i += 1) {
      const started = performance.now();
      const response = await fetch(`${platform.url}/v1/insights/provinces/19`, {
        headers: { 'cache-control': 'no-cache' },
      });
      await response.text();
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      if (i === 0) first = performance.now() - started;
      if (i >= 2) timings.push(performance.now() - started); // two warm-up reads
    }
    timings.sort((a, b) => a - b);
    const at = (q: number) =>
      Math.round(timings[Math.min(timings.length - 1, Math.floor(q * timings.length))] ?? 0);
    process.stdout.write(`first read after the seed: ${Math.round(first)} ms\n`);
    process.stdout.write(
      `GET /v1/insights/provinces/19 x${reads}: p50 ${at(0.5)} ms, max ${Math.round(timings.at(-1) ?? 0)} ms, min ${Math.round(timings[0] ?? 0)} ms\n`,
    );
  } finally {
    await platform.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
