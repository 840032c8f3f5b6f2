/**
 * docker-compose.yml: loads as `docker compose config` loads it, with compose-go (the reference
 * implementation of the Compose Specification that docker compose itself uses): YAML,
 * interpolation, the compose-spec JSON schema, normalisation and the consistency checks. No
 * container engine needed. The loader is the small Go command in ./compose-config, built once into
 * the LienKet cache (LIENKET_CACHE, else LIENKET_HOME, else ~/.cache/lienket) from the Go module
 * proxy.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { goCommand } from '@lienket/testkit';

const root = resolve(__dirname, '../..');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string> };
  environment?: Record<string, string | null>;
  ports?: { target: number; published?: string }[];
  depends_on?: Record<string, { condition: string }>;
}
interface ComposeProject {
  services: Record<string, ComposeService>;
}

let loader: string;
const load = (file: string) => {
  const result = spawnSync(loader, [file], { cwd: root, encoding: 'utf8', env: { ...process.env } });
  if (result.error) throw result.error;
  return result;
};

beforeAll(() => {
  loader = goCommand(join(__dirname, 'compose-config'), 'compose-config');
}, 600_000);

describe('docker-compose.yml', () => {
  let project: ComposeProject;

  it('loads as docker compose loads it: schema, interpolation, consistency, no warning', () => {
    const result = load(join(root, 'docker-compose.yml'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    project = JSON.parse(result.stdout);
  });

  it('runs the infrastructure and every service in services/', () => {
    const platform = readdirSync(resolve(root, 'services'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(Object.keys(project.services)).toEqual(
      expect.arrayContaining(['kafka', 'mongo', 'otel-collector', 'jaeger', ...platform]),
    );
    // Each service builds from the one Dockerfile with its own name, and waits for Kafka and MongoDB.
    for (const name of platform) {
      const service = project.services[name];
      expect({ name, build: service?.build }).toEqual({
        name,
        build: expect.objectContaining({ context: root, dockerfile: 'Dockerfile', args: { SERVICE: name } }),
      });
      expect({ name, depends: service?.depends_on }).toEqual({
        name,
        depends: expect.objectContaining({
          kafka: expect.objectContaining({ condition: 'service_healthy' }),
          mongo: expect.objectContaining({ condition: 'service_healthy' }),
        }),
      });
    }
  });

  describe('refuses a broken file', () => {
    const original = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'lienket-compose-'));
    let count = 0;
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each([
      [
        'an unknown service key',
        (t: string) => t.replace('  jaeger:\n', '  jaeger:\n    imagee: x\n'),
        /imagee/,
      ],
      [
        'a port that is not one',
        (t: string) => t.replace('"16686:16686"', '"sixteen:16686"'),
        /hostPort: sixteen/,
      ],
      [
        'a health check interval that is not a duration',
        (t: string) => t.replace('interval: 5s', 'interval: soon'),
        /healthcheck\.interval.*invalid duration "soon"/,
      ],
      [
        'a dependency on a missing service',
        (t: string) => t.replace('    depends_on:\n      - jaeger', '    depends_on:\n      - zipkin'),
        /zipkin/,
      ],
      [
        'an undeclared named volume',
        (t: string) => t.replace('kafka-data:/var/lib/kafka/data', 'kafka-logs:/var/lib/kafka/data'),
        /kafka-logs/,
      ],
      ['a YAML error', (t: string) => t.replace('  mongo:\n', '  mongo\n'), /yaml: line \d+/],
    ])('%s', (_what, edit, reason) => {
      const broken = edit(original);
      expect(broken).not.toBe(original);
      // A neutral file name, so that the reason cannot match the name.
      count += 1;
      const file = join(dir, `broken-${count}.yml`);
      writeFileSync(file, broken);
      const result = load(file);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(reason);
    });
  });
});
