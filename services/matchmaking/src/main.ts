import { createLogger, stopOnSignals } from '@lienket/platform';
import { loadMatchmakingConfig } from './config';
import { startMatchmaking } from './service';

async function main() {
  const config = loadMatchmakingConfig();
  const log = createLogger({ service: 'matchmaking', level: config.LOG_LEVEL });
  const service = await startMatchmaking(config, log);
  stopOnSignals(log, service.parts);
  log.info({ grpcPort: service.grpcPort, instance: config.INSTANCE_ID }, 'matchmaking started');
}

main().catch((error) => {
  process.stderr.write(
    `matchmaking failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
