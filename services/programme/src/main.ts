import { runMain } from '@lienket/platform';
import { loadProgrammeConfig } from './config';
import { startProgramme } from './service';

runMain({ name: 'programme', loadConfig: loadProgrammeConfig, start: startProgramme });
