import { createLogger, stopOnSignals } from '@lienket/platform';
import { loadRegistryConfig } from './config';
import { startRegistry } from './service';

async function main() {
  const config = loadRegistryConfig();
  const log = createLogger({ service: 'registry', level: config.LOG_LEVEL });
  const service = await startRegistry(config, log);
  stopOnSignals(log, service.parts);
  log.info({ grpcPort: service.grpcPort }, 'registry started');
}

main().catch((error) => {
  process.stderr.write(`registry failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
