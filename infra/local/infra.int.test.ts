import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// A second, private instance of the local infrastructure (own home, own ports), sharing only the
// download cache with the instance the rest of the suite uses.
const cli = resolve(__dirname, 'cli.mjs');
const home = mkdtempSync(join(tmpdir(), 'lienket-infra-test-'));
const base = 30_000 + Math.floor(Math.random() * 20_000);
const env = {
  ...process.env,
  KAFKA_BROKERS: '',
  MONGO_URL: '',
  LIENKET_HOME: home,
  LIENKET_CACHE:
    process.env.LIENKET_CACHE ??
    process.env.LIENKET_HOME ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lienket'),
  LIENKET_KAFKA_PORT: String(base),
  LIENKET_KAFKA_CONTROLLER_PORT: String(base + 1),
  LIENKET_STORE_PORT: String(base + 2),
  LIENKET_KAFKA_HEAP: '512m',
};
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
const json = (...args: string[]) => {
  const result = run(...args, '--json');
  if (result.status !== 0) throw new Error(`cli ${args.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const hasTools = ['java', 'mvn', 'go'].every((tool) => spawnSync('which', [tool]).status === 0);

afterAll(() => {
  run('down');
  rmSync(home, { recursive: true, force: true });
});

describe('infra/local', () => {
  if (!hasTools) {
    it('names the missing tool and how to get it', () => {
      const result = run('up');
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/(java|mvn|go) is required/);
    });
    return;
  }

  it('starts Kafka and the store, is a no-op the second time, and stops without leaving a process', () => {
    const first = json('up');
    expect(first.started.sort()).toEqual(['kafka', 'store']);
    expect(first.kafkaBrokers).toBe(`127.0.0.1:${base}`);

    const status = json('status');
    expect(status.kafka).toMatchObject({ healthy: true });
    expect(status.store).toMatchObject({ healthy: true });
    const pids = [status.kafka.pid, status.store.pid] as number[];

    const second = json('up');
    expect(second.started).toEqual([]);
    const again = json('status');
    expect([again.kafka.pid, again.store.pid]).toEqual(pids);

    execFileSync(process.execPath, [cli, 'down'], { env, stdio: 'pipe' });
    expect(pids.filter(alive)).toEqual([]);
    const after = run('status');
    expect(after.status).toBe(3);
    expect(after.stdout).toMatch(/kafka\s+stopped/);
    expect(after.stdout).toMatch(/store\s+stopped/);
  });
});
