import { runMain } from '@lienket/platform';
import { loadRegistryConfig } from './config';
import { startRegistry } from './service';

runMain({ name: 'registry', loadConfig: loadRegistryConfig, start: startRegistry });
