// `buf breaking` against the previous commit, when there is one that already had proto/.
// A breaking change must be a new package version (lienket.<context>.v2) published side by side.
import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });

const against = process.env.BUF_BREAKING_AGAINST ?? 'HEAD~1';
if (git('rev-parse', '--verify', '--quiet', `${against}^{commit}`).status !== 0) {
  console.log(`buf breaking: no ${against} in this clone, nothing to compare against`);
  process.exit(0);
}
if (git('cat-file', '-e', `${against}:buf.yaml`).status !== 0) {
  console.log(`buf breaking: ${against} has no buf.yaml yet, nothing to compare against`);
  process.exit(0);
}
execFileSync(resolve(root, 'node_modules/.bin/buf'), ['breaking', '--against', `.git#ref=${against}`], {
  cwd: root,
  stdio: 'inherit',
});
console.log(`buf breaking: no breaking change against ${against}`);
