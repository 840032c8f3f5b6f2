import { createLogger, stopOnSignals } from '@lienket/platform';
import { loadInsightsConfig } from './config';
import { startInsights } from './service';

async function main() {
  const config = loadInsightsConfig();
  const log = createLogger({ service: 'insights', level: config.LOG_LEVEL });
  const service = await startInsights(config, log);
  stopOnSignals(log, service.parts);
  log.info({ grpcPort: service.grpcPort }, 'insights started');
}

main().catch((error) => {
  process.stderr.write(`insights failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
