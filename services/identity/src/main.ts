import { runMain } from '@lienket/platform';
import { loadIdentityConfig } from './config';
import { startIdentity } from './service';

runMain({
  name: 'identity',
  loadConfig: loadIdentityConfig,
  start: startIdentity,
  describe: (service, config) => ({
    grpcPort: service.grpcPort,
    httpPort: service.httpPort,
    metricsPort: service.metricsPort,
    issuer: config.ISSUER,
  }),
});
