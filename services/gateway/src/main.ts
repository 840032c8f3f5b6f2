import { createLogger, stopOnSignals } from '@lienket/platform';
import { loadGatewayConfig } from './config';
import { startGateway } from './service';

async function main() {
  const config = loadGatewayConfig();
  const log = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  const gateway = await startGateway(config, log);
  stopOnSignals(log, gateway.parts);
  log.info({ url: gateway.url, docs: `${gateway.url}/docs` }, 'gateway started');
}

main().catch((error) => {
  process.stderr.write(`gateway failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
