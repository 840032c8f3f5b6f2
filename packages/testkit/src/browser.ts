import { execFileSync, execSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** Where Debian and Ubuntu put chromium, after CHROMIUM_PATH. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function executable(path: string | undefined): path is string {
  if (!path) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const findChromium = () => [process.env.CHROMIUM_PATH, ...CANDIDATES].find(executable);

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * A chromium executable for the browser tests (playwright-core drives it; no browser download): CHROMIUM_PATH,
 * else Debian's /usr/bin/chromium or /usr/bin/chromium-browser, else chromium installed once from the Debian
 * packages (apt-get, through sudo when not root), printing progress.
 */
export function ensureChromium(): string {
  const found = findChromium();
  if (found) return found;
  if (process.env.CHROMIUM_PATH)
    throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file`);
  const sudo = isRoot() ? [] : ['sudo', '-n'];
  const apt = (args: string) => [...sudo, 'apt-get', ...args.split(' ')];
  process.stdout.write('[testkit] chromium not found: installing it from the Debian packages (once)\n');
  const started = Date.now();
  try {
    for (const command of [apt('update -q'), apt('install -y -q --no-install-recommends chromium')]) {
      process.stdout.write(`[testkit] $ ${command.join(' ')}\n`);
      const [program, ...args] = command as [string, ...string[]];
      execFileSync(program, args, {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        timeout: 15 * 60_000,
      });
    }
  } catch (error) {
    throw new Error(
      `Could not install chromium with apt-get (${(error as Error).message}); install it ` +
        '(apt-get install chromium) or set CHROMIUM_PATH to a chromium executable',
    );
  }
  const installed = findChromium();
  if (!installed) throw new Error('apt-get installed chromium, but no chromium executable was found');
  process.stdout.write(
    `[testkit] chromium ready at ${installed} (${Math.round((Date.now() - started) / 1000)} s)\n`,
  );
  return installed;
}

/** The version chromium reports, e.g. "Chromium 139.0.7258.154 built on Debian…", for test logs. */
export function chromiumVersion(path: string): string {
  try {
    return execSync(`"${path}" --version`, { stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

/** Arguments for a headless chromium in a container or CI (no sandbox, no GPU, shared memory on disk). */
export const chromiumArgs: readonly string[] = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'];
