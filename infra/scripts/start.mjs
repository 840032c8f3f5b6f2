// `npm start`: the whole platform on this machine. Brings up Kafka and the store (or uses
// KAFKA_BROKERS / MONGO_URL), starts every service in dependency order with its health checked,
// prints where to look, and on Ctrl-C stops everything it started.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { down, settings, up } from '../local/infra.mjs';
import { devSecret, devToken } from './dev-auth.mjs';

const root = resolve(import.meta.dirname, '../..');
const require = createRequire(join(root, 'package.json'));
const args = new Set(process.argv.slice(2));
const cfg = settings();
const step = (n, total, text) => process.stdout.write(`[${n}/${total}] ${text}\n`);

/** Services declare how to run them in their package.json under "lienket". */
function discoverServices() {
  const dir = join(root, 'services');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'package.json')))
    .map((entry) => {
      const manifest = JSON.parse(readFileSync(join(dir, entry.name, 'package.json'), 'utf8'));
      return { name: entry.name, dir: join(dir, entry.name), ...manifest.lienket };
    })
    .filter((service) => service.order !== undefined)
    .sort((a, b) => a.order - b.order);
}

async function grpcHealthy(address) {
  const grpc = require('@grpc/grpc-js');
  const protoLoader = require('@grpc/proto-loader');
  const { protoPath } = require('grpc-health-check');
  const definition = grpc.loadPackageDefinition(protoLoader.loadSync(protoPath, { enums: String }));
  const client = new definition.grpc.health.v1.Health(address, grpc.credentials.createInsecure());
  try {
    const response = await new Promise((resolveCheck, reject) =>
      client.check({ service: '' }, { deadline: Date.now() + 1_000 }, (error, answer) =>
        error ? reject(error) : resolveCheck(answer),
      ),
    );
    return response.status === 'SERVING';
  } catch {
    return false;
  } finally {
    client.close();
  }
}

const children = [];
let infraStarted = [];
let stopping = false;
let seeding;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  if (seeding?.exitCode === null) seeding.kill('SIGTERM');
  process.stdout.write('\nStopping LienKet...\n');
  for (const child of [...children].reverse()) {
    if (child.process.exitCode === null) child.process.kill('SIGTERM');
  }
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolveExit) => {
          if (child.process.exitCode !== null) return resolveExit();
          const timer = setTimeout(() => child.process.kill('SIGKILL'), 15_000);
          child.process.once('exit', () => {
            clearTimeout(timer);
            resolveExit();
          });
        }),
    ),
  );
  process.stdout.write(`  services stopped (${children.length})\n`);
  if (infraStarted.length > 0 && !args.has('--keep-infra')) await down({ only: infraStarted });
  process.exit(code);
}

/**
 * The platform's own identity service signs people in (the gateway verifies its tokens by JWKS), unless
 * AUTH_JWKS_URL names another provider. Development tokens stay valid beside it (tests, CLI, seed).
 */
const identityIssuer = (services) => {
  const identity = services.find((s) => s.name === 'identity');
  return identity && !process.env.AUTH_JWKS_URL ? `http://127.0.0.1:${identity.httpPort}` : undefined;
};

function envOf(service, services) {
  const issuer = identityIssuer(services);
  if (!issuer) return {};
  if (service.name === 'gateway')
    return { AUTH_JWKS_URL: `${issuer}/jwks`, AUTH_ISSUER: issuer, AUTH_AUDIENCE: 'lienket-api' };
  if (service.name === 'identity') {
    const gateway = services.find((s) => s.name === 'gateway');
    const portal = gateway
      ? [`http://127.0.0.1:${gateway.httpPort}`, `http://localhost:${gateway.httpPort}`]
      : [];
    return {
      ISSUER: issuer,
      ...(portal.length > 0
        ? {
            PORTAL_REDIRECT_URIS: portal.map((o) => `${o}/auth/callback`).join(','),
            PORTAL_POST_LOGOUT_URIS: portal.map((o) => `${o}/`).join(','),
          }
        : {}),
    };
  }
  return {};
}

/** The demo accounts identity's seed made (services/identity/src/seed.ts): logins and the password. */
function signInLines(services) {
  const issuer = identityIssuer(services);
  const seedFile = join(root, 'services/identity/dist/seed.js');
  if (!issuer || !existsSync(seedFile)) return [];
  const { demoLogins, DEFAULT_DEMO_PASSWORD } = require(seedFile);
  const gateway = services.find((s) => s.name === 'gateway');
  const rows = [
    ['ministry admin', demoLogins.ministryAdmin],
    ['province admin', `${demoLogins.provinceAdmin}   (Thái Nguyên)`],
    ['province officer', `${demoLogins.provinceOfficer}   (Thái Nguyên)`],
    ['analyst', demoLogins.analyst],
    ['cooperative', `${demoLogins.cooperative}   (a cooperative of Thái Nguyên, owner)`],
  ];
  return [
    '',
    `  Sign in         http://127.0.0.1:${gateway?.httpPort ?? 8080}/  →  "Đăng nhập" (identity: ${issuer})`,
    `  Demo password   ${process.env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD}   (every demo account)`,
    ...rows.map(([role, login]) => `    ${role.padEnd(17)} ${login}`),
    '  New establishments sign up from the portal ("Đăng ký").',
  ];
}

/** Where the API lives, how to sign in, and a development token per role (unless a real identity provider is set). */
async function gatewayLines(services) {
  const gateway = services.find((s) => s.name === 'gateway');
  if (!gateway) return '';
  const url = `http://127.0.0.1:${gateway.httpPort}`;
  const lines = [
    '',
    `  API             ${url}/v1   (OpenAPI ${url}/openapi.json, docs ${url}/docs)`,
    `  Events          ${url}/v1/events/stream   (AsyncAPI ${url}/asyncapi.json)`,
    ...signInLines(services),
  ];
  if (!process.env.AUTH_JWKS_URL) {
    lines.push('', '  Development tokens for scripts and the CLI (12 h; Authorization: Bearer <token>):');
    for (const claims of [
      { sub: 'dev-admin', role: 'admin' },
      { sub: 'dev-analyst', role: 'analyst' },
      { sub: 'dev-officer-01', role: 'province', province_code: '01' },
    ]) {
      lines.push(`    ${claims.role.padEnd(10)} ${await devToken(claims)}`);
    }
    lines.push(
      '    enterprise npm run token -- enterprise <enterprise id>   (any role: npm run token -- <role> …)',
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The first run fills the platform with demo data through the gateway (tools/seed): when the registry has
 * no enterprises yet. `--no-seed` skips it; LIENKET_SEED_ENTERPRISES (or --seed-enterprises=N) sets the size,
 * 60 by default: every province gets firms, and the local store takes it in a minute or two.
 */
function seedWanted(services) {
  if (args.has('--no-seed')) return false;
  return services.some((s) => s.name === 'gateway') && existsSync(join(root, 'tools/seed/dist/cli.js'));
}

async function seedFirstRun(services) {
  if (process.env.AUTH_JWKS_URL) {
    process.stdout.write('      skipped: the seed signs development tokens, and AUTH_JWKS_URL is set\n');
    return;
  }
  const gateway = services.find((s) => s.name === 'gateway');
  const flag = [...args].find((a) => a.startsWith('--seed-enterprises='));
  const size = flag?.split('=')[1] ?? process.env.LIENKET_SEED_ENTERPRISES ?? '60';
  seeding = spawn(
    process.execPath,
    [
      join(root, 'tools/seed/dist/cli.js'),
      '--if-empty',
      '--enterprises',
      size,
      '--url',
      `http://127.0.0.1:${gateway.httpPort}`,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, AUTH_DEV_SECRET: devSecret() } },
  );
  const code = await new Promise((resolveExit) =>
    seeding.once('exit', (c, signal) => resolveExit(c ?? signal)),
  );
  if (code !== 0 && !stopping) {
    process.stderr.write(
      `      seeding did not finish cleanly (${code}); LienKet keeps running. Retry: npm run seed -- --enterprises ${size}\n`,
    );
  }
}

/** Identity's demo accounts, one per role (services/identity/src/seed.ts), on the first run. */
async function seedIdentity(services, infra) {
  const identity = services.find((s) => s.name === 'identity');
  const registry = services.find((s) => s.name === 'registry');
  const seedFile = join(root, 'services/identity/dist/seed.js');
  if (!identityIssuer(services) || !registry || !existsSync(seedFile)) return;
  seeding = spawn(process.execPath, [seedFile, '--if-empty'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      MONGO_URL: infra.mongoUrl,
      KAFKA_BROKERS: infra.kafkaBrokers,
      REGISTRY_ADDR: `127.0.0.1:${registry.grpcPort}`,
      GRPC_PORT: String(identity.grpcPort),
      LOG_LEVEL: 'warn',
    },
  });
  const code = await new Promise((resolveExit) =>
    seeding.once('exit', (c, signal) => resolveExit(c ?? signal)),
  );
  if (code !== 0 && !stopping)
    process.stderr.write(
      `      the demo accounts were not seeded (${code}); retry: node services/identity/dist/seed.js --if-empty\n`,
    );
}

async function main() {
  const services = discoverServices();
  const withSeed = seedWanted(services);
  const total = 2 + services.length + (withSeed ? 1 : 0);
  let n = 1;
  step(n, total, 'infrastructure: Kafka and the store');
  const infra = await up({});
  infraStarted = infra.started;
  mkdirSync(cfg.logDir, { recursive: true });

  const addresses = Object.fromEntries(
    services.map((s) => [`${s.name.toUpperCase()}_ADDR`, `127.0.0.1:${s.grpcPort}`]),
  );
  for (const service of services) {
    n += 1;
    step(n, total, `${service.name}: starting (gRPC :${service.grpcPort})`);
    const log = openSync(join(cfg.logDir, `${service.name}.log`), 'a');
    const child = spawn(
      process.execPath,
      ['-r', '@lienket/platform/telemetry', join(service.dir, 'dist/main.js')],
      {
        cwd: root,
        stdio: ['ignore', log, log],
        env: {
          ...process.env,
          ...addresses,
          OTEL_SERVICE_NAME: `lienket-${service.name}`,
          KAFKA_BROKERS: infra.kafkaBrokers,
          MONGO_URL: infra.mongoUrl,
          GRPC_PORT: String(service.grpcPort),
          ...(process.env.AUTH_JWKS_URL ? {} : { AUTH_DEV_SECRET: devSecret() }),
          ...(service.httpPort ? { HTTP_PORT: String(service.httpPort) } : {}),
          ...envOf(service, services),
        },
      },
    );
    children.push({ name: service.name, process: child });
    child.once('exit', (code, signal) => {
      if (!stopping) {
        process.stderr.write(
          `\n${service.name} exited (${signal ?? code}); see ${join(cfg.logDir, `${service.name}.log`)}\n`,
        );
        void stopAll(1);
      }
    });
    const deadline = Date.now() + 60_000;
    while (!(await grpcHealthy(`127.0.0.1:${service.grpcPort}`))) {
      if (Date.now() > deadline) throw new Error(`${service.name} did not become healthy in 60 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    process.stdout.write(`      ${service.name}: healthy\n`);
  }

  if (withSeed) {
    n += 1;
    step(n, total, 'seed: demo data on the first run (skip with --no-seed)');
    await seedFirstRun(services);
    if (stopping) return;
  }
  await seedIdentity(services, infra);
  if (stopping) return;

  n += 1;
  step(n, total, 'ready');
  process.stdout.write(`
LienKet is running.
  Kafka           ${infra.kafkaBrokers}
  Store           ${infra.mongoUrl}
${services.map((s) => `  ${s.name.padEnd(15)} grpc://127.0.0.1:${s.grpcPort}${s.httpPort ? `  http://127.0.0.1:${s.httpPort}` : ''}`).join('\n')}
  Logs            ${cfg.logDir}  (npm run infra:logs)
${await gatewayLines(services)}
Press Ctrl-C to stop.
`);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
main().catch(async (error) => {
  process.stderr.write(`\n${error.message}\n`);
  await stopAll(1);
});
