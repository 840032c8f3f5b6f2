import { runMain } from '@lienket/platform';
import { loadGatewayConfig } from './config';
import { startGateway } from './service';

runMain({
  name: 'gateway',
  loadConfig: loadGatewayConfig,
  start: startGateway,
  describe: (gateway) => ({ url: gateway.url, docs: `${gateway.url}/docs` }),
});
