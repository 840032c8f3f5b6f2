import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A Python command-line tool from PyPI in its own virtual environment under the LienKet cache
 * (LIENKET_CACHE, else LIENKET_HOME, else ~/.cache/lienket), installed on first use; returns the
 * path of its executable. Needs python3 with venv on PATH.
 */
export function pythonTool(pkg: string, version: string, executable = pkg): string {
  const home = resolve(
    process.env.LIENKET_HOME ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lienket'),
  );
  const cache = resolve(process.env.LIENKET_CACHE ?? home);
  const venv = join(cache, 'tools', `${pkg}-${version}`);
  const bin = join(venv, 'bin', executable);
  if (existsSync(bin)) return bin;
  process.stdout.write(`[testkit] installing ${pkg} ${version} from PyPI into ${venv} (once)\n`);
  const started = Date.now();
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(
    join(venv, 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', `${pkg}==${version}`],
    {
      stdio: 'inherit',
    },
  );
  process.stdout.write(
    `[testkit] ${pkg} ${version} ready (${Math.round((Date.now() - started) / 1000)} s)\n`,
  );
  return bin;
}
