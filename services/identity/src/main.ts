import { createLogger, stopOnSignals } from '@lienket/platform';
import { loadIdentityConfig } from './config';
import { startIdentity } from './service';

async function main() {
  const config = loadIdentityConfig();
  const log = createLogger({ service: 'identity', level: config.LOG_LEVEL });
  const service = await startIdentity(config, log);
  stopOnSignals(log, service.parts);
  log.info(
    { grpcPort: service.grpcPort, httpPort: service.httpPort, issuer: config.ISSUER },
    'identity started',
  );
}

main().catch((error) => {
  process.stderr.write(`identity failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
