// Regenerates packages/api-client/gen from the gateway's code: the OpenAPI document it serves at
// /openapi.json (gen/openapi.json) and its TypeScript types (gen/openapi.ts, openapi-typescript). Run by
// `npm run generate` before every build, so code that calls the API stops compiling when it and the
// document drift apart. Nothing in gen/ is committed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

const here = import.meta.dirname;
const root = resolve(here, '../../..');
const gen = resolve(here, '../gen');

// The gateway's sources run as they are (tsx), so generation needs no build of the gateway first.
const json = execFileSync(
  process.execPath,
  [
    join(root, 'node_modules/tsx/dist/cli.mjs'),
    '--tsconfig',
    join(here, 'tsconfig.json'),
    join(here, 'openapi-document.ts'),
  ],
  { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] },
);
const document = JSON.parse(json);
const ast = await openapiTS(document, { alphabetize: true });
mkdirSync(gen, { recursive: true });
writeFileSync(join(gen, 'openapi.json'), json);
writeFileSync(join(gen, 'openapi.ts'), astToString(ast));
console.log(`api-client: ${Object.keys(document.paths).length} paths from the gateway's OpenAPI document`);
