import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The LienKet cache: LIENKET_CACHE, else LIENKET_HOME, else ~/.cache/lienket. */
export function lienketCache(): string {
  const home = resolve(
    process.env.LIENKET_HOME ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lienket'),
  );
  return resolve(process.env.LIENKET_CACHE ?? home);
}

/**
 * A Go command built from the Go module proxy (`go install <pkg>@<version>`) into the LienKet cache,
 * on first use; returns the path of its executable. `executable` is what `go install` names it (the
 * last element of the package path). Needs Go on PATH; modules are kept under the cache too.
 */
export function goTool(pkg: string, version: string, executable: string, as = executable): string {
  const dir = join(lienketCache(), 'tools', `${as}-${version}`);
  const bin = join(dir, as);
  if (existsSync(bin)) return bin;
  process.stderr.write(
    `[testkit] building ${as} ${version} (${pkg}) from the Go module proxy into ${dir} (once, about a minute)\n`,
  );
  const started = Date.now();
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  // `go install` prints each module it downloads on stderr: that is the progress.
  const result = spawnSync('go', ['install', `${pkg}@${version}`], {
    cwd: staging,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      GOBIN: staging,
      GOMODCACHE: join(lienketCache(), 'tools', 'gomod'),
      GOFLAGS: '-modcacherw',
    },
  });
  if (result.error) throw new Error(`${as} needs Go 1.24+ on PATH to build: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`go install ${pkg}@${version} failed (exit ${result.status})`);
  mkdirSync(dir, { recursive: true });
  renameSync(join(staging, executable), bin);
  rmSync(staging, { recursive: true, force: true });
  process.stderr.write(`[testkit] ${as} ${version} ready (${Math.round((Date.now() - started) / 1000)} s)\n`);
  return bin;
}

/**
 * A Go command of this repository (a directory with go.mod, go.sum and a main package) built into
 * the LienKet cache on first use, keyed by its sources; its modules come from the Go module proxy.
 */
export function goCommand(sourceDir: string, as: string): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(sourceDir).sort())
    hash.update(file).update(readFileSync(join(sourceDir, file)));
  const dir = join(lienketCache(), 'tools', `${as}-${hash.digest('hex').slice(0, 12)}`);
  const bin = join(dir, as);
  if (existsSync(bin)) return bin;
  process.stderr.write(
    `[testkit] building ${as} from ${sourceDir} into ${dir} (once; modules from the Go module proxy)\n`,
  );
  const started = Date.now();
  mkdirSync(dir, { recursive: true });
  const result = spawnSync('go', ['build', '-trimpath', '-o', `${bin}.partial`, '.'], {
    cwd: sourceDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOMODCACHE: join(lienketCache(), 'tools', 'gomod'), GOFLAGS: '-modcacherw' },
  });
  if (result.error) throw new Error(`${as} needs Go 1.24+ on PATH to build: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`go build of ${sourceDir} failed (exit ${result.status})`);
  renameSync(`${bin}.partial`, bin);
  process.stderr.write(`[testkit] ${as} ready (${Math.round((Date.now() - started) / 1000)} s)\n`);
  return bin;
}
