import { runMain } from '@lienket/platform';
import { loadTechTransferConfig } from './config';
import { startTechTransfer } from './service';

runMain({ name: 'techtransfer', loadConfig: loadTechTransferConfig, start: startTechTransfer });
