import { runMain } from '@lienket/platform';
import { loadMatchmakingConfig } from './config';
import { startMatchmaking } from './service';

runMain({
  name: 'matchmaking',
  loadConfig: loadMatchmakingConfig,
  start: startMatchmaking,
  describe: (service, config) => ({ grpcPort: service.grpcPort, instance: config.INSTANCE_ID }),
});
