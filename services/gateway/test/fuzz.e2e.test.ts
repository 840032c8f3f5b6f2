import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonTool } from '@lienket/testkit';
import { type Platform, startPlatform, tokenFor } from './platform';

const SCHEMATHESIS = '4.32.5';
let platform: Platform;
let schemathesis: string;

beforeAll(async () => {
  schemathesis = pythonTool('schemathesis', SCHEMATHESIS);
  // The rate limit is a config variable; this run sets it above what the fuzzer sends (production keeps its own).
  platform = await startPlatform('gateway-fuzz', { RATE_LIMIT_PER_MINUTE: '1000000' });
}, 300_000);

afterAll(async () => {
  await platform?.stop();
});

/** Runs schemathesis against the live document; resolves with its exit code and output. */
function run(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    // Run in a scratch directory: schemathesis keeps its own cache in the working directory.
    const child = spawn(schemathesis, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', PYTHONIOENCODING: 'utf-8' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('fuzzing every route from the OpenAPI document', () => {
  it('passes every check: no server error, the document and the server agree on every request and response', async () => {
    const reports = mkdtempSync(join(tmpdir(), 'lienket-fuzz-'));
    const admin = await tokenFor({ sub: 'fuzz-admin', role: 'admin' });
    const { code, output } = await run(
      [
        // Expected statuses and generation settings, each with its reason.
        '--config-file',
        join(__dirname, 'schemathesis.toml'),
        'run',
        `${platform.url}/openapi.json`,
        '--checks',
        'all',
        // Endless by design (it has its own tests).
        '--exclude-path',
        '/v1/events/stream',
        '--phases',
        'examples,coverage,fuzzing,stateful',
        '--continue-on-failure',
        '--max-examples',
        '12',
        '--seed',
        '20261127',
        '--generation-deterministic',
        '--workers',
        '2',
        '--request-timeout',
        '10',
        '--header',
        `Authorization: Bearer ${admin}`,
        '--report',
        'junit',
        '--report-junit-path',
        join(reports, 'junit.xml'),
      ],
      reports,
    );
    if (!existsSync(join(reports, 'junit.xml')))
      throw new Error(`schemathesis wrote no report (exit ${code}):\n${output.slice(-6_000)}`);
    const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
    const tested = new Set([...junit.matchAll(/<testcase name="([A-Z]+ [^"]+)"/g)].map((m) => m[1]));
    if (code !== 0) process.stdout.write(output.slice(-20_000));
    expect({ code, failures: code === 0 ? '' : output.slice(-4_000) }).toEqual({ code: 0, failures: '' });
    // Every documented operation was exercised (the endless stream aside).
    const document = (await (await fetch(`${platform.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, object> }>>;
    };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.length).toBeGreaterThan(70);
    expect(operations.filter((op) => !tested.has(op))).toEqual(['GET /v1/events/stream']);
    // Valid data may be refused 422 exactly on the operations whose document declares 422 (with why).
    const settings = readFileSync(join(__dirname, 'schemathesis.toml'), 'utf8');
    const allowed = [
      ...(/include-operation-id = \[([^\]]*)\]/.exec(settings)?.[1] ?? '').matchAll(/"([^"]+)"/g),
    ]
      .map((m) => m[1])
      .sort();
    const declaring = Object.values(document.paths)
      .flatMap((methods) => Object.values(methods))
      .filter((operation) => '422' in operation.responses)
      .map((operation) => operation.operationId)
      .sort();
    expect(allowed).toEqual(declaring);
  }, 1_200_000);
});
