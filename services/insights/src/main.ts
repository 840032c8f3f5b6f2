import { runMain } from '@lienket/platform';
import { loadInsightsConfig } from './config';
import { startInsights } from './service';

runMain({ name: 'insights', loadConfig: loadInsightsConfig, start: startInsights });
