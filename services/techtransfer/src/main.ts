import { createLogger, stopOnSignals } from '@lienket/platform';
import { loadTechTransferConfig } from './config';
import { startTechTransfer } from './service';

async function main() {
  const config = loadTechTransferConfig();
  const log = createLogger({ service: 'techtransfer', level: config.LOG_LEVEL });
  const service = await startTechTransfer(config, log);
  stopOnSignals(log, service.parts);
  log.info({ grpcPort: service.grpcPort }, 'techtransfer started');
}

main().catch((error) => {
  process.stderr.write(
    `techtransfer failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
