import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const compose = (...args: string[]) =>
  spawnSync('docker-compose', ['-f', 'docker-compose.yml', ...args], { cwd: root, encoding: 'utf8' });

describe('docker-compose.yml', () => {
  it('validates with docker-compose (no engine needed)', () => {
    const result = compose('config', '-q');
    if (result.error)
      throw new Error('docker-compose is not installed (Debian: apt-get install docker-compose)');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs the infrastructure and every service in services/', () => {
    const services = compose('config', '--services').stdout.trim().split('\n').sort();
    const platform = readdirSync(resolve(root, 'services'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(services).toEqual(
      expect.arrayContaining(['kafka', 'mongo', 'otel-collector', 'jaeger', ...platform]),
    );
  });
});
