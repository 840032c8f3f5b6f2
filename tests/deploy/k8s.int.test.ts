/**
 * infra/k8s: every document parses, renders with kustomize, validates against its schema (the
 * Kubernetes API for built-in kinds, the operators' CRDs for Strimzi and MongoDB resources), and
 * agrees with the code: services, ports, variables, topics, database users, probes, telemetry.
 * Also keeps docs/events.md's generated catalogue up to date.
 *
 * Schemas, fetched once into the LienKet cache (LIENKET_CACHE, else LIENKET_HOME, else
 * ~/.cache/lienket) with the registries' own clients:
 * - kubernetes-validate (PyPI) with the Kubernetes JSON schemas it ships, in a virtual environment;
 * - the Strimzi CRDs from io.strimzi:api:<version>:tests (Maven Central), `crds/v1/*.yaml`;
 * - the MongoDB Community operator's CRD from its Go module (Go module proxy).
 * Rendering uses `kustomize` or `kubectl kustomize` from PATH, else kustomize built from the Go proxy.
 *
 * Update the generated part of docs/events.md: LIENKET_WRITE_DOCS=1 npx jest tests/deploy/k8s
 * --selectProjects integration
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { type EventDefinition, Events, eventCatalogue, Topics } from '@lienket/contracts';
import { ensureTopics } from '@lienket/eventbus';
import { ConfigError, parseConfig } from '@lienket/platform';
import { pythonTool } from '@lienket/testkit';
import type { Kafka } from 'kafkajs';
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { publicTopics } from '../../services/gateway/src/events/public-events';

const root = resolve(__dirname, '../..');
const k8sDir = join(root, 'infra/k8s');
const NAMESPACE = 'lienket';
const IMAGE_REPOSITORY = 'ghcr.io/lienket';

/** Pinned versions of everything fetched; the Kubernetes version the manifests target. */
const KUBERNETES_VERSION = '1.33';
const KUBERNETES_VALIDATE = '1.37.0';
const STRIMZI = '0.51.0';
const MONGODB_OPERATOR = 'v0.13.0';
const KUSTOMIZE = 'v5.5.0';

/** Variables a service reads besides its config schema: Node's own. */
const RUNTIME_ENV = ['NODE_OPTIONS'];
/** The autoscaled services and the maximum the brief allows ("min 2, max about 10"). */
const AUTOSCALED = ['matchmaking', 'gateway'];
const MAX_REPLICAS = 12;

// ---------------------------------------------------------------------------------------------
// Fetching and caching the tools and schemas

const cacheDir = () => {
  const home = resolve(
    process.env.LIENKET_HOME ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lienket'),
  );
  return join(resolve(process.env.LIENKET_CACHE ?? home), 'k8s');
};

const say = (message: string) => process.stderr.write(`[k8s] ${message}\n`);

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? root,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw new Error(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`,
    );
  return result.stdout;
}

const onPath = (command: string, args: string[]) => !spawnSync(command, args, { encoding: 'utf8' }).error;

/** Downloads once, then reuses: `fetch` writes `target`, the progress lines say what and how long. */
function cached(target: string, what: string, fetch: () => void): string {
  if (existsSync(target)) return target;
  mkdirSync(dirname(target), { recursive: true });
  say(`fetching ${what} into ${target} (once)`);
  const started = Date.now();
  fetch();
  if (!existsSync(target)) throw new Error(`fetching ${what} left no ${target}`);
  say(`${what} ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return target;
}

function strimziCrdJar(): string {
  const dir = join(cacheDir(), `strimzi-api-${STRIMZI}`);
  return cached(join(dir, `api-${STRIMZI}-tests.jar`), `Strimzi ${STRIMZI} CRDs (Maven Central)`, () =>
    run('mvn', [
      '-B',
      '-q',
      '-Dstyle.color=never',
      'dependency:copy',
      `-Dartifact=io.strimzi:api:${STRIMZI}:jar:tests`,
      `-DoutputDirectory=${dir}`,
    ]),
  );
}

function mongoCrd(): string {
  const target = join(
    cacheDir(),
    `mongodb-kubernetes-operator-${MONGODB_OPERATOR}`,
    'mongodbcommunity.mongodb.com_mongodbcommunity.yaml',
  );
  return cached(target, `MongoDB Community operator ${MONGODB_OPERATOR} CRD (Go module proxy)`, () => {
    const env = { ...process.env, GOMODCACHE: join(cacheDir(), 'gomod'), GOFLAGS: '-modcacherw' };
    const module = `github.com/mongodb/mongodb-kubernetes-operator@${MONGODB_OPERATOR}`;
    const { Dir } = JSON.parse(run('go', ['mod', 'download', '-json', module], { env, cwd: cacheDir() }));
    copyFileSync(join(Dir, 'config/crd/bases/mongodbcommunity.mongodb.com_mongodbcommunity.yaml'), target);
  });
}

/** The command that renders a kustomization: kustomize or kubectl from PATH, else one built here. */
function kustomizeCommand(): [string, string[]] {
  if (onPath('kustomize', ['version'])) return ['kustomize', ['build']];
  if (onPath('kubectl', ['version', '--client'])) return ['kubectl', ['kustomize']];
  const bin = join(cacheDir(), `kustomize-${KUSTOMIZE}`);
  cached(join(bin, 'kustomize'), `kustomize ${KUSTOMIZE} (built from the Go module proxy)`, () =>
    run('go', ['install', `sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE}`], {
      cwd: cacheDir(),
      env: { ...process.env, GOBIN: bin, GOMODCACHE: join(cacheDir(), 'gomod'), GOFLAGS: '-modcacherw' },
    }),
  );
  return [join(bin, 'kustomize'), ['build']];
}

// ---------------------------------------------------------------------------------------------
// The shapes read from the manifests (only what the checks look at)

type Labels = Record<string, string>;
interface K8s {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Labels; annotations?: Labels };
  spec?: unknown;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
    fieldRef?: { fieldPath: string };
  };
}
interface Probe {
  grpc?: { port: number; service?: string };
  httpGet?: { path?: string; port: number | string };
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[] };
  seccompProfile?: { type: string };
}
interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Labels; limits?: Labels };
  securityContext?: SecurityContext;
}
interface DeploymentSpec {
  replicas?: number;
  selector: { matchLabels: Labels };
  template: {
    metadata: { labels: Labels; annotations?: Labels };
    spec: {
      containers: Container[];
      securityContext?: SecurityContext;
      automountServiceAccountToken?: boolean;
    };
  };
}
interface ServiceSpec {
  selector: Labels;
  ports: { name?: string; port: number; targetPort?: number | string }[];
}
interface HpaSpec {
  scaleTargetRef: { kind: string; name: string };
  minReplicas?: number;
  maxReplicas: number;
  metrics?: { type: string; resource?: { name: string } }[];
}
interface PdbSpec {
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  selector: { matchLabels: Labels };
}
interface IngressSpec {
  tls?: { hosts?: string[]; secretName?: string }[];
  rules: {
    host?: string;
    http: {
      paths: {
        path: string;
        backend: { service: { name: string; port: { name?: string; number?: number } } };
      }[];
    };
  }[];
}
interface KafkaTopicSpec {
  topicName?: string;
  partitions: number;
  replicas: number;
  config?: Record<string, unknown>;
}
interface KafkaSpec {
  kafka: {
    listeners: { name: string; port: number; type: string; tls: boolean }[];
    config?: Record<string, unknown>;
  };
}
interface NodePoolSpec {
  replicas: number;
  roles: string[];
}
interface MongoUser {
  name: string;
  db?: string;
  passwordSecretRef?: { name: string; key?: string };
  roles: { name: string; db: string }[];
  connectionStringSecretName?: string;
}
interface MongoSpec {
  members: number;
  users: MongoUser[];
}

const spec = <T>(object: K8s) => object.spec as T;
const ofKind = (objects: readonly K8s[], kind: string) => objects.filter((o) => o.kind === kind);
const named = (objects: readonly K8s[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
const selects = (selector: Labels, labels: Labels) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

// ---------------------------------------------------------------------------------------------
// What the code says

interface ServiceInfo {
  name: string;
  /** package.json "lienket": the ports the service listens on (grpcPort, httpPort, metricsPort…). */
  ports: Record<string, number | undefined>;
  schema: z.ZodObject;
  /** Its non-test sources under src/, concatenated (for what it subscribes to and uses). */
  sources: string;
}

function sourcesOf(dir: string): string {
  const out: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.includes('.test.'))
        out.push(readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out.join('\n');
}

function loadServices(): ServiceInfo[] {
  return readdirSync(join(root, 'services'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, 'services', entry.name, 'package.json')))
    .map(({ name }) => {
      const pkg = JSON.parse(readFileSync(join(root, 'services', name, 'package.json'), 'utf8'));
      // Each config.ts exports exactly one `<name>ConfigSchema` (a zod object).
      const config: Record<string, unknown> = require(join(root, 'services', name, 'src/config'));
      const schemas = Object.entries(config).filter(([key]) => key.endsWith('ConfigSchema'));
      if (schemas.length !== 1)
        throw new Error(`services/${name}/src/config.ts: expected one *ConfigSchema export`);
      return {
        name,
        ports: Object.fromEntries(
          Object.entries(pkg.lienket ?? {}).filter(
            ([key, value]) => key.endsWith('Port') && typeof value === 'number',
          ),
        ) as Record<string, number>,
        schema: schemas[0]?.[1] as z.ZodObject,
        sources: sourcesOf(join(root, 'services', name, 'src')),
      };
    });
}

/** Variables read by the telemetry preload (process.env.X), which every service image loads first. */
const telemetryEnv = () =>
  [
    ...readFileSync(join(root, 'packages/platform/src/telemetry/preload.ts'), 'utf8').matchAll(
      /process\.env\.([A-Z0-9_]+)/g,
    ),
  ].map((m) => m[1] as string);

/** The topics as the services create them (ensureTopics against a recording admin client). */
async function topicsAsCreated(topics: readonly string[], partitions: number, replicationFactor: number) {
  const created: {
    topic: string;
    numPartitions: number;
    replicationFactor: number;
    configEntries: { name: string; value: string }[];
  }[] = [];
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    listTopics: async () => [],
    createTopics: async ({ topics: wanted }: { topics: typeof created }) => {
      created.push(...wanted);
      return true;
    },
    fetchTopicMetadata: async ({ topics: names }: { topics: string[] }) => ({
      topics: names.map((name) => ({ name, partitions: [{ partitionId: 0, leader: 1 }] })),
    }),
    fetchTopicOffsets: async () => [{ partition: 0, offset: '0', high: '0', low: '0' }],
  };
  await ensureTopics({ admin: () => admin } as unknown as Kafka, topics, { partitions, replicationFactor });
  return created;
}

const TESTING_PREFIX = 'lienket.testing.';

// ---------------------------------------------------------------------------------------------
// The world the checks look at: rendered objects, the example Secrets, the code

interface Kustomization {
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
  configMapGenerator?: { name: string; files?: string[] }[];
}

/** A directory kustomization.yaml includes as a resource (`../observability`), parsed; else undefined. */
function includedKustomization(resource: string): Kustomization | undefined {
  const file = join(k8sDir, resource, 'kustomization.yaml');
  if (!existsSync(file)) return undefined;
  return parseYaml(readFileSync(file, 'utf8'), file)[0] as Kustomization;
}
interface World {
  objects: K8s[];
  /** secrets.example.yaml: the Secrets an operator of the cluster creates (not applied). */
  examples: K8s[];
  /** The YAML files in infra/k8s (names). */
  files: string[];
  kustomization: Kustomization;
  services: ServiceInfo[];
  telemetryEnv: string[];
  /** Source of the gateway's HTTP app (its health route). */
  gatewayApp: string;
}

/** Parses YAML as the API server and kubectl do (YAML 1.1), failing on any error or warning. */
function parseYaml(text: string, origin: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1', uniqueKeys: true }).flatMap((document, index) => {
    const problems = [...document.errors, ...document.warnings];
    if (problems.length > 0)
      throw new Error(`${origin} document ${index + 1}: ${problems.map((p) => p.message).join('; ')}`);
    const value = document.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

function deploymentOf(world: World, name: string) {
  const deployment = named(world.objects, 'Deployment', name);
  return deployment ? spec<DeploymentSpec>(deployment) : undefined;
}
const mainContainer = (world: World, name: string) =>
  deploymentOf(world, name)?.template.spec.containers.find((c) => c.name === name);

/** Secrets written by operators from the resources here: MongoDB users' connection strings. */
function operatorSecrets(world: World): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const mongo of ofKind(world.objects, 'MongoDBCommunity')) {
    const { name, namespace = NAMESPACE } = mongo.metadata;
    const { members, users } = spec<MongoSpec>(mongo);
    const hosts = Array.from(
      { length: members },
      (_, i) => `${name}-${i}.${name}-svc.${namespace}.svc.cluster.local:27017`,
    ).join(',');
    for (const user of users) {
      const db = user.db ?? 'admin';
      const secret = user.connectionStringSecretName ?? `${name}-${db}-${user.name}`;
      // The operator's format (MongoAuthUserURI in its api/v1 package).
      out.set(secret, {
        'connectionString.standard': `mongodb://${user.name}:pw@${hosts}/${db}?replicaSet=${name}&ssl=false`,
        'connectionString.standardSrv': `mongodb+srv://${user.name}:pw@${name}-svc.${namespace}.svc.cluster.local/${db}?replicaSet=${name}&ssl=false`,
        username: user.name,
        password: 'pw',
      });
    }
  }
  return out;
}

function secretData(world: World, name: string): Record<string, string> | undefined {
  const example = named(world.examples, 'Secret', name);
  if (example) return { ...example.stringData, ...example.data };
  return operatorSecrets(world).get(name);
}

interface ResolvedEnv {
  values: Record<string, string>;
  /** Where each variable comes from, for messages. */
  origins: Record<string, string>;
  problems: string[];
}

/** A container's environment as the kubelet builds it (envFrom in order, then env). */
function resolveEnv(world: World, container: Container, podName: string): ResolvedEnv {
  const values: Record<string, string> = {};
  const origins: Record<string, string> = {};
  const problems: string[] = [];
  const set = (name: string, value: string, origin: string) => {
    values[name] = value;
    origins[name] = origin;
  };
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const map = named(world.objects, 'ConfigMap', source.configMapRef.name);
      if (!map)
        problems.push(`${container.name}: envFrom ConfigMap ${source.configMapRef.name} does not exist`);
      for (const [key, value] of Object.entries(map?.data ?? {}))
        set(key, value, `ConfigMap ${source.configMapRef.name}`);
    }
    if (source.secretRef) {
      const data = secretData(world, source.secretRef.name);
      if (!data) problems.push(`${container.name}: envFrom Secret ${source.secretRef.name} is nowhere`);
      for (const [key, value] of Object.entries(data ?? {}))
        set(key, value, `Secret ${source.secretRef.name}`);
    }
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (variable.value !== undefined) set(variable.name, variable.value, 'env');
    else if (from?.secretKeyRef) {
      const value = secretData(world, from.secretKeyRef.name)?.[from.secretKeyRef.key];
      if (value === undefined)
        problems.push(
          `${container.name}: ${variable.name} reads Secret ${from.secretKeyRef.name} key ${from.secretKeyRef.key}, which nothing provides`,
        );
      set(variable.name, value ?? '', `Secret ${from.secretKeyRef.name}/${from.secretKeyRef.key}`);
    } else if (from?.configMapKeyRef) {
      const value = named(world.objects, 'ConfigMap', from.configMapKeyRef.name)?.data?.[
        from.configMapKeyRef.key
      ];
      if (value === undefined)
        problems.push(`${container.name}: ${variable.name}'s ConfigMap key is missing`);
      set(variable.name, value ?? '', `ConfigMap ${from.configMapKeyRef.name}/${from.configMapKeyRef.key}`);
    } else if (from?.fieldRef?.fieldPath === 'metadata.name') set(variable.name, podName, 'the pod name');
    else if (from?.fieldRef) set(variable.name, 'x', `field ${from.fieldRef.fieldPath}`);
    else problems.push(`${container.name}: ${variable.name} has no value`);
  }
  return { values, origins, problems };
}

const serviceEnv = (world: World, name: string) => {
  const container = mainContainer(world, name);
  // A pod name as a Deployment makes them: <deployment>-<template hash>-<suffix>.
  return container ? resolveEnv(world, container, `${name}-7d9c5b8f6d-x4k2p`) : undefined;
};

const kafkaTopics = (world: World) =>
  ofKind(world.objects, 'KafkaTopic').map((o) => ({ object: o, spec: spec<KafkaTopicSpec>(o) }));
const topicNameOf = (object: K8s) => spec<KafkaTopicSpec>(object).topicName ?? object.metadata.name;

// ---------------------------------------------------------------------------------------------
// The checks: each returns its problems (empty when the manifests agree with the code)

type Check = (world: World) => string[] | Promise<string[]>;

const checks = {
  kustomize: {
    title: 'kustomization lists every manifest, one namespace, one image per service',
    run: (world) => {
      const problems: string[] = [];
      const listed = world.kustomization.resources ?? [];
      const manifests = world.files.filter((f) => f !== 'kustomization.yaml' && !f.endsWith('.example.yaml'));
      for (const file of manifests)
        if (!listed.includes(file)) problems.push(`${file} is not in kustomization.yaml`);
      for (const file of listed)
        if (!world.files.includes(file) && !includedKustomization(file))
          problems.push(`kustomization.yaml lists ${file}, which does not exist`);
      if (world.kustomization.namespace !== NAMESPACE)
        problems.push(`namespace is ${world.kustomization.namespace}`);
      for (const object of world.objects)
        if (object.kind !== 'Namespace' && object.metadata.namespace !== NAMESPACE)
          problems.push(
            `${object.kind} ${object.metadata.name} renders into namespace ${object.metadata.namespace}`,
          );
      for (const { name } of world.services) {
        const image = (world.kustomization.images ?? []).find(
          (i) => i.name === `${IMAGE_REPOSITORY}/${name}`,
        );
        if (!image?.newTag)
          problems.push(`kustomization.yaml has no image tag for ${IMAGE_REPOSITORY}/${name}`);
      }
      return problems;
    },
  },

  images: {
    title: 'every service has a Deployment and a Service running its own image',
    run: (world) => {
      const problems: string[] = [];
      for (const { name } of world.services) {
        const container = mainContainer(world, name);
        if (!container) problems.push(`no Deployment ${name} with a container ${name}`);
        else if (!new RegExp(`^${IMAGE_REPOSITORY}/${name}:[\\w][\\w.-]*$`).test(container.image))
          problems.push(`${name} runs image ${container.image}`);
        if (!named(world.objects, 'Service', name)) problems.push(`no Service ${name}`);
      }
      return problems;
    },
  },

  ports: {
    title: 'container and Service ports are the ports in package.json',
    run: (world) => {
      const problems: string[] = [];
      for (const { name, ports } of world.services) {
        const container = mainContainer(world, name);
        if (!container) continue;
        const expected = Object.values(ports)
          .filter((p): p is number => p !== undefined)
          .sort();
        const actual = (container.ports ?? []).map((p) => p.containerPort).sort();
        if (JSON.stringify(actual) !== JSON.stringify(expected))
          problems.push(`${name} container ports ${actual} ≠ package.json ${expected}`);
        // grpcPort ↔ GRPC_PORT, httpPort ↔ HTTP_PORT, metricsPort ↔ METRICS_PORT.
        const env = serviceEnv(world, name)?.values ?? {};
        for (const [key, port] of Object.entries(ports)) {
          const variable = `${key.replace(/Port$/, '').toUpperCase()}_PORT`;
          if (env[variable] !== undefined && Number(env[variable]) !== port)
            problems.push(`${name} ${variable} ${env[variable]} ≠ package.json ${key} ${port}`);
        }
        const scraped = deploymentOf(world, name)?.template.metadata.annotations?.['prometheus.io/port'];
        if (scraped !== undefined && Number(scraped) !== ports.metricsPort)
          problems.push(`${name} is scraped on ${scraped}, serves metrics on ${ports.metricsPort}`);
        const service = named(world.objects, 'Service', name);
        const servicePorts = service ? spec<ServiceSpec>(service).ports : [];
        for (const wanted of expected) {
          const port = servicePorts.find((p) => {
            const target = p.targetPort ?? p.port;
            return (
              target === wanted ||
              container.ports?.some((c) => c.name === target && c.containerPort === wanted)
            );
          });
          if (!port) problems.push(`Service ${name} does not forward to container port ${wanted}`);
          else if (port.port !== wanted) problems.push(`Service ${name} exposes ${wanted} as ${port.port}`);
        }
      }
      return problems;
    },
  },

  variables: {
    title: 'every variable set for a service is one it reads',
    run: (world) => {
      const problems: string[] = [];
      for (const service of world.services) {
        const env = serviceEnv(world, service.name);
        if (!env) continue;
        const known = new Set([...Object.keys(service.schema.shape), ...world.telemetryEnv, ...RUNTIME_ENV]);
        for (const name of Object.keys(env.values))
          if (!known.has(name))
            problems.push(`${service.name}: ${name} (from ${env.origins[name]}) is not in its config schema`);
      }
      return problems;
    },
  },

  values: {
    title: "every service's environment passes its own config schema",
    run: (world) => {
      const problems: string[] = [];
      for (const service of world.services) {
        const env = serviceEnv(world, service.name);
        if (!env) continue;
        problems.push(...env.problems);
        try {
          parseConfig(service.schema, env.values);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          problems.push(...error.problems.map((p) => `${service.name}: ${p}`));
        }
        for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME'])
          if (!env.values[name]) problems.push(`${service.name}: ${name} is not set`);
      }
      return problems;
    },
  },

  probes: {
    title: 'probes: gRPC health on the gRPC port, the gateway over HTTP /healthz',
    run: (world) => {
      const problems: string[] = [];
      // The gateway route that answers { status: 'ok' } (services/gateway/src/app.ts).
      const healthPath = [...world.gatewayApp.matchAll(/app\.get\('([^']+)'/g)].find((m) =>
        world.gatewayApp.slice(m.index, m.index + 120).includes("status: 'ok'"),
      )?.[1];
      for (const { name, ports } of world.services) {
        const container = mainContainer(world, name);
        if (!container) continue;
        const probes = {
          startupProbe: container.startupProbe,
          readinessProbe: container.readinessProbe,
          livenessProbe: container.livenessProbe,
        };
        for (const [kind, probe] of Object.entries(probes)) {
          if (!probe) {
            problems.push(`${name} has no ${kind}`);
            continue;
          }
          if (probe.grpc && probe.grpc.port !== ports.grpcPort)
            problems.push(
              `${name} ${kind} checks gRPC port ${probe.grpc.port}, the service serves ${ports.grpcPort}`,
            );
          if (probe.httpGet) {
            const port = container.ports?.find(
              (p) => p.name === probe.httpGet?.port || p.containerPort === probe.httpGet?.port,
            );
            if (port?.containerPort !== ports.httpPort)
              problems.push(`${name} ${kind} checks HTTP on ${probe.httpGet.port}`);
            if (probe.httpGet.path !== healthPath)
              problems.push(`${name} ${kind} asks ${probe.httpGet.path}, the gateway answers ${healthPath}`);
          }
          if (!probe.grpc && !probe.httpGet) problems.push(`${name} ${kind} is neither gRPC nor HTTP`);
        }
        if (ports.httpPort === undefined) {
          if (!container.readinessProbe?.grpc || !container.livenessProbe?.grpc)
            problems.push(`${name} is not probed over gRPC health`);
        } else if (!container.readinessProbe?.httpGet)
          problems.push(`${name} readiness is not HTTP ${healthPath}`);
      }
      return problems;
    },
  },

  security: {
    title: 'pods run as non-root with a read-only root file system and bounded resources',
    run: (world) => {
      const problems: string[] = [];
      for (const deployment of ofKind(world.objects, 'Deployment')) {
        const { name } = deployment.metadata;
        const pod = spec<DeploymentSpec>(deployment).template.spec;
        if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${name}: runAsNonRoot is not true`);
        if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault')
          problems.push(`${name}: no RuntimeDefault seccomp`);
        if (pod.automountServiceAccountToken !== false)
          problems.push(`${name}: mounts a service account token`);
        for (const container of pod.containers) {
          const where = `${name}/${container.name}`;
          const security = container.securityContext;
          if (security?.readOnlyRootFilesystem !== true)
            problems.push(`${where}: root file system is writable`);
          if (security?.allowPrivilegeEscalation !== false)
            problems.push(`${where}: may escalate privileges`);
          if (!security?.capabilities?.drop?.includes('ALL')) problems.push(`${where}: keeps capabilities`);
          for (const level of ['requests', 'limits'] as const)
            for (const resource of ['cpu', 'memory'])
              if (!container.resources?.[level]?.[resource])
                problems.push(`${where}: no ${resource} ${level}`);
        }
      }
      return problems;
    },
  },

  selection: {
    title: 'Services, PodDisruptionBudgets and autoscalers select what exists',
    run: (world) => {
      const problems: string[] = [];
      const podLabels = ofKind(world.objects, 'Deployment').map((d) => ({
        name: d.metadata.name,
        labels: spec<DeploymentSpec>(d).template.metadata.labels,
        deployment: spec<DeploymentSpec>(d),
      }));
      // Pods written by operators from resources here: MongoDB labels its replica set `app: <name>-svc`.
      const operatorPods = ofKind(world.objects, 'MongoDBCommunity').map((m) => ({
        app: `${m.metadata.name}-svc`,
      }));
      for (const deployment of podLabels) {
        if (!selects(deployment.deployment.selector.matchLabels, deployment.labels))
          problems.push(`Deployment ${deployment.name}'s selector misses its own pods`);
      }
      for (const service of ofKind(world.objects, 'Service')) {
        const { selector, ports } = spec<ServiceSpec>(service);
        const target = podLabels.find((p) => selects(selector, p.labels));
        if (!target) {
          problems.push(`Service ${service.metadata.name} selects no pods`);
          continue;
        }
        const containers = target.deployment.template.spec.containers;
        for (const port of ports) {
          const wanted = port.targetPort ?? port.port;
          if (!containers.some((c) => c.ports?.some((p) => p.name === wanted || p.containerPort === wanted)))
            problems.push(
              `Service ${service.metadata.name} forwards to ${wanted}, which no container exposes`,
            );
        }
      }
      const autoscaled = new Map(
        ofKind(world.objects, 'HorizontalPodAutoscaler').map((h) => [
          spec<HpaSpec>(h).scaleTargetRef.name,
          spec<HpaSpec>(h),
        ]),
      );
      for (const pdb of ofKind(world.objects, 'PodDisruptionBudget')) {
        const { selector, minAvailable } = spec<PdbSpec>(pdb);
        const target = podLabels.find((p) => selects(selector.matchLabels, p.labels));
        if (!target && !operatorPods.some((labels) => selects(selector.matchLabels, labels)))
          problems.push(`PodDisruptionBudget ${pdb.metadata.name} selects no pods`);
        const replicas = target
          ? (autoscaled.get(target.name)?.minReplicas ?? target.deployment.replicas ?? 1)
          : undefined;
        if (typeof minAvailable === 'number' && replicas !== undefined && minAvailable >= replicas)
          problems.push(
            `PodDisruptionBudget ${pdb.metadata.name} keeps ${minAvailable} of ${replicas}: no drain could proceed`,
          );
      }
      for (const deployment of podLabels)
        if (
          !ofKind(world.objects, 'PodDisruptionBudget').some((p) =>
            selects(spec<PdbSpec>(p).selector.matchLabels, deployment.labels),
          )
        )
          problems.push(`Deployment ${deployment.name} has no PodDisruptionBudget`);
      for (const [target, hpa] of autoscaled) {
        const deployment = podLabels.find((p) => p.name === target);
        if (hpa.scaleTargetRef.kind !== 'Deployment' || !deployment)
          problems.push(`autoscaler targets ${target}, no Deployment`);
        else if (deployment.deployment.replicas !== undefined)
          problems.push(`Deployment ${target} fixes replicas while an autoscaler owns them`);
      }
      return problems;
    },
  },

  scaling: {
    title: 'matchmaking and the gateway autoscale on CPU between 2 and the partition count',
    run: (world) => {
      const problems: string[] = [];
      const partitions = (topic: string) =>
        kafkaTopics(world).find((t) => t.spec.topicName === topic)?.spec.partitions ?? 0;
      // The action consumer's group spreads these topics' partitions over the instances.
      const actionPartitions = Math.min(
        partitions(Topics.registryNeed),
        partitions(Topics.registryCapability),
      );
      for (const name of AUTOSCALED) {
        const hpa = named(world.objects, 'HorizontalPodAutoscaler', name);
        if (!hpa) {
          problems.push(`no HorizontalPodAutoscaler for ${name}`);
          continue;
        }
        const { minReplicas = 1, maxReplicas, metrics = [], scaleTargetRef } = spec<HpaSpec>(hpa);
        if (scaleTargetRef.name !== name) problems.push(`autoscaler ${name} scales ${scaleTargetRef.name}`);
        if (minReplicas < 2) problems.push(`${name} may scale down to ${minReplicas}`);
        if (maxReplicas > MAX_REPLICAS || maxReplicas <= minReplicas)
          problems.push(`${name} scales to ${maxReplicas}`);
        if (!metrics.some((m) => m.type === 'Resource' && m.resource?.name === 'cpu'))
          problems.push(`${name} does not scale on CPU`);
        if (name === 'matchmaking' && maxReplicas > actionPartitions)
          problems.push(
            `matchmaking scales to ${maxReplicas}, past the ${actionPartitions} partitions of its action group`,
          );
      }
      const instance = mainContainer(world, 'matchmaking')?.env?.find((v) => v.name === 'INSTANCE_ID');
      if (instance?.valueFrom?.fieldRef?.fieldPath !== 'metadata.name')
        problems.push('matchmaking INSTANCE_ID is not the pod name (downward API)');
      return problems;
    },
  },

  topics: {
    title:
      'every topic of the catalogue and its dead-letter topic is a KafkaTopic, as the services create it',
    run: async (world) => {
      const problems: string[] = [];
      const kafka = ofKind(world.objects, 'Kafka');
      const clusters = new Set(kafka.map((k) => k.metadata.name));
      const brokers = ofKind(world.objects, 'KafkaNodePool')
        .filter((p) => spec<NodePoolSpec>(p).roles.includes('broker'))
        .reduce((sum, p) => sum + spec<NodePoolSpec>(p).replicas, 0);
      const settings = new Set(
        world.services.map((s) => {
          const env = serviceEnv(world, s.name)?.values ?? {};
          return `${env.KAFKA_PARTITIONS}/${env.KAFKA_REPLICATION_FACTOR}`;
        }),
      );
      if (settings.size !== 1)
        problems.push(`services disagree on KAFKA_PARTITIONS/KAFKA_REPLICATION_FACTOR: ${[...settings]}`);
      const [partitions, replication] = [...settings][0]?.split('/').map(Number) ?? [];
      const deployable = Object.values(Topics).filter((t) => !t.startsWith(TESTING_PREFIX));
      const expected = await topicsAsCreated(deployable, partitions ?? Number.NaN, replication ?? Number.NaN);
      const declared = kafkaTopics(world);
      for (const wanted of expected) {
        const found = declared.filter((t) => topicNameOf(t.object) === wanted.topic);
        if (found.length !== 1) {
          problems.push(`${found.length} KafkaTopics for ${wanted.topic}`);
          continue;
        }
        const topic = found[0] as (typeof declared)[number];
        if (topic.spec.partitions !== wanted.numPartitions)
          problems.push(
            `${wanted.topic}: ${topic.spec.partitions} partitions, the services create ${wanted.numPartitions}`,
          );
        if (topic.spec.replicas !== wanted.replicationFactor)
          problems.push(
            `${wanted.topic}: ${topic.spec.replicas} replicas, the services create ${wanted.replicationFactor}`,
          );
        const config = Object.fromEntries(
          Object.entries(topic.spec.config ?? {}).map(([k, v]) => [k, String(v)]),
        );
        const wantedConfig = Object.fromEntries(wanted.configEntries.map((e) => [e.name, e.value]));
        if (JSON.stringify(config) !== JSON.stringify(wantedConfig))
          problems.push(
            `${wanted.topic}: config ${JSON.stringify(config)}, the services create ${JSON.stringify(wantedConfig)}`,
          );
        if (!clusters.has(topic.object.metadata.labels?.['strimzi.io/cluster'] ?? ''))
          problems.push(`${wanted.topic}: strimzi.io/cluster names no Kafka here`);
        if (topic.spec.replicas > brokers)
          problems.push(`${wanted.topic}: ${topic.spec.replicas} replicas on ${brokers} brokers`);
      }
      const known = new Set(expected.map((e) => e.topic));
      for (const topic of declared)
        if (!known.has(topicNameOf(topic.object)))
          problems.push(`KafkaTopic ${topicNameOf(topic.object)} is not in the catalogue`);
      // The test probe topics are left out because no service uses them.
      for (const service of world.services)
        if (/Topics\.testing\w*/.test(service.sources))
          problems.push(`${service.name} uses a testing topic, which is not deployed`);
      for (const cluster of kafka) {
        const config = spec<KafkaSpec>(cluster).kafka.config ?? {};
        if (config['auto.create.topics.enable'] !== false) problems.push('the broker auto-creates topics');
        if (Number(config['min.insync.replicas']) >= (replication ?? 0))
          problems.push('min.insync.replicas leaves no replica to lose');
      }
      return problems;
    },
  },

  brokers: {
    title: 'KAFKA_BROKERS is the Strimzi bootstrap of a plain listener',
    run: (world) => {
      const problems: string[] = [];
      const bootstraps = ofKind(world.objects, 'Kafka').flatMap((k) =>
        spec<KafkaSpec>(k)
          .kafka.listeners.filter((l) => l.type === 'internal' && !l.tls)
          .map((l) => `${k.metadata.name}-kafka-bootstrap:${l.port}`),
      );
      for (const { name } of world.services) {
        const brokers = serviceEnv(world, name)?.values.KAFKA_BROKERS;
        if (!brokers?.split(',').every((b) => bootstraps.includes(b)))
          problems.push(`${name}: KAFKA_BROKERS ${brokers} is none of ${bootstraps}`);
      }
      return problems;
    },
  },

  mongo: {
    title: 'each service reaches MongoDB as its own user, allowed its own database only',
    run: (world) => {
      const problems: string[] = [];
      const mongo = ofKind(world.objects, 'MongoDBCommunity');
      if (mongo.length !== 1) return [`${mongo.length} MongoDBCommunity resources`];
      const resource = mongo[0] as K8s;
      const { members, users } = spec<MongoSpec>(resource);
      if (members !== 3) problems.push(`the replica set has ${members} members`);
      for (const service of world.services) {
        const ref = mainContainer(world, service.name)?.env?.find((v) => v.name === 'MONGO_URL')?.valueFrom
          ?.secretKeyRef;
        const user = users.find(
          (u) =>
            (u.connectionStringSecretName ?? `${resource.metadata.name}-${u.db}-${u.name}`) === ref?.name,
        );
        if (ref?.key !== 'connectionString.standard' || !user) {
          problems.push(`${service.name}: MONGO_URL is not a MongoDB user's connection string`);
          continue;
        }
        const env = serviceEnv(world, service.name)?.values ?? {};
        const database = env.MONGO_DB ?? String(service.schema.shape.MONGO_DB?.parse(undefined));
        const grants = user.roles.map((r) => `${r.name}@${r.db}`).sort();
        if (JSON.stringify(grants) !== JSON.stringify([`readWrite@${database}`]))
          problems.push(
            `${service.name}'s user ${user.name} has ${grants}, not readWrite on ${database} alone`,
          );
        if (user.name !== service.name) problems.push(`${service.name} connects as ${user.name}`);
      }
      for (const user of users) {
        const ref = user.passwordSecretRef;
        if (!ref || secretData(world, ref.name)?.[ref.key ?? 'password'] === undefined)
          problems.push(`MongoDB user ${user.name}'s password Secret ${ref?.name}/${ref?.key} is nowhere`);
      }
      return problems;
    },
  },

  addresses: {
    title: 'the gateway reaches each service at its Service and gRPC port',
    run: (world) => {
      const problems: string[] = [];
      const env = serviceEnv(world, 'gateway')?.values ?? {};
      const gateway = world.services.find((s) => s.name === 'gateway');
      for (const key of Object.keys(gateway?.schema.shape ?? {}).filter((k) => k.endsWith('_ADDR'))) {
        const target = key.replace(/_ADDR$/, '').toLowerCase();
        const port = world.services.find((s) => s.name === target)?.ports.grpcPort;
        const service = named(world.objects, 'Service', target);
        const exposed = service && spec<ServiceSpec>(service).ports.some((p) => p.port === port);
        if (env[key] !== `${target}:${port}` || !exposed)
          problems.push(`gateway ${key}=${env[key]}, ${target} serves ${port}`);
      }
      return problems;
    },
  },

  ingress: {
    title: 'the Ingress serves the gateway at PUBLIC_URL',
    run: (world) => {
      const problems: string[] = [];
      const ingresses = ofKind(world.objects, 'Ingress');
      const publicUrl = serviceEnv(world, 'gateway')?.values.PUBLIC_URL;
      const host = publicUrl ? new URL(publicUrl).host : undefined;
      const gateway = world.services.find((s) => s.name === 'gateway');
      const service = named(world.objects, 'Service', 'gateway');
      const ingress = ingresses.find((i) => spec<IngressSpec>(i).rules.some((r) => r.host === host));
      if (!ingress) return [`no Ingress for ${host} (PUBLIC_URL ${publicUrl})`];
      const { rules, tls = [] } = spec<IngressSpec>(ingress);
      if (!tls.some((t) => t.hosts?.includes(host ?? ''))) problems.push(`${host} has no TLS`);
      if (publicUrl && !publicUrl.startsWith('https://'))
        problems.push(`PUBLIC_URL ${publicUrl} is not https`);
      for (const path of rules.flatMap((r) => r.http.paths)) {
        const backend = path.backend.service;
        const port =
          service &&
          spec<ServiceSpec>(service).ports.find(
            (p) => p.name === backend.port.name || p.port === backend.port.number,
          );
        if (backend.name !== 'gateway' || port?.port !== gateway?.ports.httpPort)
          problems.push(
            `Ingress path ${path.path} goes to ${backend.name}:${backend.port.name ?? backend.port.number}`,
          );
      }
      return problems;
    },
  },

  telemetry: {
    title: 'telemetry goes to the collector, whose pipelines are complete',
    run: (world) => {
      const problems: string[] = [];
      const collector = named(world.objects, 'ConfigMap', 'otel-collector');
      const config = collector
        ? (parseYaml(collector.data?.['config.yaml'] ?? '', 'otel-collector config')[0] as CollectorConfig)
        : undefined;
      if (!config) return ['no collector configuration'];
      const service = named(world.objects, 'Service', 'otel-collector');
      const httpPort = service && spec<ServiceSpec>(service).ports.find((p) => p.name === 'otlp-http')?.port;
      const receiverPort = config.receivers?.otlp?.protocols?.http?.endpoint?.split(':').pop();
      if (String(httpPort) !== receiverPort)
        problems.push(`collector receives OTLP/HTTP on ${receiverPort}, its Service forwards ${httpPort}`);
      for (const { name } of world.services) {
        const endpoint = serviceEnv(world, name)?.values.OTEL_EXPORTER_OTLP_ENDPOINT;
        if (endpoint !== `http://otel-collector:${httpPort}`)
          problems.push(`${name} exports spans to ${endpoint}`);
      }
      for (const [pipeline, parts] of Object.entries(config.service?.pipelines ?? {}))
        for (const section of ['receivers', 'processors', 'exporters'] as const)
          for (const component of parts[section] ?? [])
            if (!config[section]?.[component])
              problems.push(`pipeline ${pipeline} uses undefined ${section} ${component}`);
      if (Object.keys(config.service?.pipelines ?? {}).length === 0)
        problems.push('the collector has no pipeline');
      return problems;
    },
  },

  secrets: {
    title: 'every Secret read is created by an operator or listed in secrets.example.yaml',
    run: (world) => {
      const problems: string[] = [];
      const operator = operatorSecrets(world);
      for (const deployment of ofKind(world.objects, 'Deployment'))
        for (const container of spec<DeploymentSpec>(deployment).template.spec.containers)
          problems.push(...resolveEnv(world, container, 'pod').problems);
      for (const example of world.examples) {
        if (example.kind !== 'Secret') problems.push(`secrets.example.yaml holds a ${example.kind}`);
        if (operator.has(example.metadata.name))
          problems.push(`${example.metadata.name} is written by an operator`);
      }
      if ((world.kustomization.resources ?? []).some((r) => r.endsWith('.example.yaml')))
        problems.push('kustomization.yaml applies an example');
      return problems;
    },
  },
} satisfies Record<string, { title: string; run: Check }>;

interface CollectorConfig {
  receivers?: Record<string, { protocols?: { http?: { endpoint?: string } } } | undefined> & {
    otlp?: { protocols?: { http?: { endpoint?: string } } };
  };
  processors?: Record<string, unknown>;
  exporters?: Record<string, unknown>;
  service?: {
    pipelines?: Record<string, { receivers?: string[]; processors?: string[]; exporters?: string[] }>;
  };
}

// ---------------------------------------------------------------------------------------------
// docs/events.md: the generated catalogue

const GENERATED_BEGIN = '<!-- BEGIN GENERATED: event catalogue (tests/deploy/k8s.int.test.ts) -->';
const GENERATED_END = '<!-- END GENERATED -->';

/** A Markdown table with padded columns, as Biome formats it (so `biome check` leaves it alone). */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, i) =>
    Math.max(3, cell.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** `// Topic <name>, key = <aggregate> id` in the event proto files. */
function topicKeys(): Map<string, string> {
  const keys = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.proto'))
        for (const m of readFileSync(full, 'utf8').matchAll(/Topic ([a-z0-9._]+), key = ([a-z ]+?) id\b/g))
          keys.set(m[1] as string, `${m[2]} id`);
    }
  };
  walk(join(root, 'proto'));
  return keys;
}

async function eventsCatalogue(services: readonly ServiceInfo[]): Promise<string> {
  const keyOf = topicKeys();
  const names = new Map<EventDefinition, string>(
    Object.entries(Events).map(([name, definition]) => [definition as EventDefinition, name]),
  );
  const consumers = new Map<string, string[]>();
  for (const service of services) {
    if (service.name === 'gateway') continue;
    for (const match of service.sources.matchAll(/\b(?:on|rule)\(\s*Events\.(\w+)/g)) {
      const list = consumers.get(match[1] as string) ?? [];
      if (!list.includes(service.name)) list.push(service.name);
      consumers.set(match[1] as string, list);
    }
  }
  const consumersOf = (definition: EventDefinition) => {
    const list = [...(consumers.get(names.get(definition) ?? '') ?? [])];
    if (publicTopics.includes(definition.topic)) list.push('gateway');
    return list.sort();
  };
  const created = await topicsAsCreated(['t'], 12, 3);
  const dlq = created.find((t) => t.topic.endsWith('.dlq'));
  const retention = created[0]?.configEntries.find((e) => e.name === 'retention.ms')?.value;
  const lines: string[] = [
    GENERATED_BEGIN,
    '',
    `${Object.values(Topics).length} topics, ${eventCatalogue.length} event types. Each topic has a dead-letter topic \`<topic>.dlq\` (${dlq?.numPartitions} partition); topics are created with \`KAFKA_PARTITIONS\` partitions, \`KAFKA_REPLICATION_FACTOR\` replicas and \`retention.ms\` ${retention}${retention === '-1' ? ' (kept forever)' : ''}. Consumers are the services subscribing to the type (\`on(Events.…)\`, insights' rules) and the gateway for every public topic (event stream and webhooks).`,
    '',
    '### Topics',
    '',
    ...table(
      ['topic', 'key', 'producer (CloudEvents source)', 'consumers', 'event types'],
      Object.values(Topics).map((topic) => {
        const definitions = eventCatalogue.filter((d) => d.topic === topic);
        const producer = topic.split('.')[1] ?? '';
        return [
          `\`${topic}\``,
          keyOf.get(topic) ?? '—',
          topic.startsWith(TESTING_PREFIX)
            ? 'the test suite (not deployed)'
            : `${producer} (\`/lienket/${producer}\`)`,
          [...new Set(definitions.flatMap(consumersOf))].sort().join(', ') || '—',
          String(definitions.length),
        ];
      }),
    ),
  ];
  for (const topic of Object.values(Topics)) {
    lines.push('', `### \`${topic}\``, '');
    lines.push(
      ...table(
        ['event type', 'payload', 'consumers'],
        eventCatalogue
          .filter((d) => d.topic === topic)
          .map((d) => [`\`${d.type}\``, `\`${d.messageName}\``, consumersOf(d).join(', ') || '—']),
      ),
    );
  }
  lines.push('', GENERATED_END);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

interface ValidationResult {
  schema: string;
  errors: string[];
}

describe('infra/k8s', () => {
  let world: World;
  let renderedBy: string;
  let validate: (documents: unknown[]) => { validator: string; results: ValidationResult[] };

  beforeAll(() => {
    mkdirSync(cacheDir(), { recursive: true });
    const files = readdirSync(k8sDir).filter((f) => /\.ya?ml$/.test(f) && statSync(join(k8sDir, f)).isFile());
    const [command, args] = kustomizeCommand();
    renderedBy = `${relative(root, command) || command} ${args.join(' ')}`;
    const rendered = run(command, [...args, k8sDir]);
    const kustomization = parseYaml(
      readFileSync(join(k8sDir, 'kustomization.yaml'), 'utf8'),
      'kustomization.yaml',
    )[0];
    const examples = files
      .filter((f) => f.endsWith('.example.yaml'))
      .flatMap((f) => parseYaml(readFileSync(join(k8sDir, f), 'utf8'), f) as K8s[])
      .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: NAMESPACE } }));
    world = {
      objects: parseYaml(rendered, 'kustomize output') as K8s[],
      examples,
      files,
      kustomization: kustomization as Kustomization,
      services: loadServices(),
      telemetryEnv: telemetryEnv(),
      gatewayApp: readFileSync(join(root, 'services/gateway/src/app.ts'), 'utf8'),
    };
    const validator = pythonTool('kubernetes-validate', KUBERNETES_VALIDATE);
    const python = join(dirname(validator), 'python');
    const crds = [{ jar: strimziCrdJar(), prefix: 'crds/v1/' }, { path: mongoCrd() }];
    validate = (documents) => {
      const result = spawnSync(python, [join(k8sDir, 'tools/validate.py')], {
        input: JSON.stringify({ kubernetesVersion: KUBERNETES_VERSION, crds, documents }),
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });
      if (result.status !== 0) throw new Error(`infra/k8s/tools/validate.py failed:\n${result.stderr}`);
      return JSON.parse(result.stdout);
    };
  }, 900_000);

  it('parses every file as YAML and renders with kustomize', () => {
    for (const file of world.files)
      expect(() => parseYaml(readFileSync(join(k8sDir, file), 'utf8'), file)).not.toThrow();
    expect(() => parseYaml('a: 1\na: 2\n', 'duplicate keys')).toThrow(/unique|duplicate/i);
    expect(() => parseYaml('a: [1\n', 'unclosed')).toThrow();
    const fromFiles = world.files
      .filter((f) => (world.kustomization.resources ?? []).includes(f))
      .flatMap((f) => parseYaml(readFileSync(join(k8sDir, f), 'utf8'), f));
    // Included directories (the Grafana dashboard) generate one ConfigMap per generator entry.
    const generated = (world.kustomization.resources ?? []).flatMap(
      (r) => includedKustomization(r)?.configMapGenerator ?? [],
    );
    expect(world.objects.length).toBe(fromFiles.length + generated.length);
    expect(renderedBy).toMatch(/kustomize/);
  });

  it('ships the Grafana dashboard docker-compose provisions, byte for byte', () => {
    const file = 'infra/observability/grafana/dashboards/lienket.json';
    const dashboard = named(world.objects, 'ConfigMap', 'grafana-dashboard-lienket');
    expect(dashboard?.metadata.labels?.grafana_dashboard).toBe('1');
    expect(dashboard?.data?.['lienket.json']).toBe(readFileSync(join(root, file), 'utf8'));
  });

  it('validates every rendered document and every example Secret against its schema', () => {
    const documents = [...world.objects, ...world.examples];
    const { validator, results } = validate(documents);
    expect(results).toHaveLength(documents.length);
    const failures = results.flatMap((result, i) => {
      const object = documents[i] as K8s;
      return result.errors.map(
        (error) => `${object.kind} ${object.metadata.name}: ${error} [${result.schema}]`,
      );
    });
    expect(failures).toEqual([]);
    const schemas = new Set(results.map((r) => r.schema.replace(/ \(.*$/, '')));
    say(`validated ${documents.length} documents with ${validator}: ${[...schemas].join('; ')}`);
    // The Strimzi and MongoDB resources were checked against their CRDs, nothing was skipped.
    const kinds = (prefix: string) =>
      results.filter((r, i) => r.schema.startsWith(prefix) && documents[i]).length;
    expect(kinds('CRD kafkatopics.kafka.strimzi.io v1')).toBe(ofKind(world.objects, 'KafkaTopic').length);
    expect(kinds('CRD kafkas.kafka.strimzi.io v1')).toBe(1);
    expect(kinds('CRD kafkanodepools.kafka.strimzi.io v1')).toBe(2);
    expect(kinds('CRD mongodbcommunity.mongodbcommunity.mongodb.com v1')).toBe(1);
    expect(kinds(`Kubernetes ${KUBERNETES_VERSION}`)).toBe(
      documents.length - ofKind(world.objects, 'KafkaTopic').length - 4,
    );
  });

  it('refuses documents that break their schema', () => {
    const copy = <T>(value: T): T => structuredClone(value);
    const first = (kind: string) => copy(ofKind(world.objects, kind)[0] as K8s);
    const broken: [string, K8s | Record<string, unknown>, RegExp][] = [];
    const deployment = first('Deployment');
    const container = spec<DeploymentSpec>(deployment).template.spec.containers[0] as Container &
      Record<string, unknown>;
    container.readinessprobe = {};
    broken.push(['unknown Deployment field', deployment, /readinessprobe/]);
    const probe = first('Deployment');
    (spec<DeploymentSpec>(probe).template.spec.containers[0] as Container).livenessProbe = {
      grpc: { port: 'grpc' as unknown as number },
    };
    broken.push(['gRPC probe port by name', probe, /port/]);
    const hpa = first('HorizontalPodAutoscaler');
    delete (hpa.spec as Record<string, unknown>).maxReplicas;
    broken.push(['autoscaler without maxReplicas', hpa, /maxReplicas/]);
    const topic = first('KafkaTopic');
    (topic.spec as Record<string, unknown>).partitions = 'twelve';
    broken.push(['KafkaTopic partitions as text', topic, /partitions/]);
    const topicTypo = first('KafkaTopic');
    (topicTypo.spec as Record<string, unknown>).retention = -1;
    broken.push(['unknown KafkaTopic field', topicTypo, /retention/]);
    const kafka = first('Kafka');
    (spec<KafkaSpec>(kafka).kafka.listeners[0] as Record<string, unknown>).tls = 'no';
    broken.push(['Kafka listener tls as text', kafka, /tls/]);
    const pool = first('KafkaNodePool');
    (pool.spec as Record<string, unknown>).roles = ['zookeeper'];
    broken.push(['node pool role', pool, /roles/]);
    const mongo = first('MongoDBCommunity');
    delete (mongo.spec as Record<string, unknown>).security;
    broken.push(['MongoDBCommunity without security', mongo, /security/]);
    const mongoMeta = first('MongoDBCommunity');
    (mongoMeta.metadata as Record<string, unknown>).label = {};
    broken.push(['custom resource metadata typo', mongoMeta, /label/]);
    broken.push([
      'unknown kind',
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      /no schema/,
    ]);
    const { results } = validate(broken.map(([, document]) => document));
    expect(results).toHaveLength(broken.length);
    broken.forEach(([what, , pattern], i) => {
      const errors = results[i]?.errors ?? [];
      expect({ what, refused: errors.some((e) => pattern.test(e)) }).toEqual({ what, refused: true });
    });
  });

  describe('agrees with the code', () => {
    it.each(Object.values(checks))('$title', async ({ run }) => {
      expect(await run(world)).toEqual([]);
    });
  });

  describe('each cross-check reports a manifest that disagrees with the code', () => {
    // Small edits of a copy of the world, each of which one check must report.
    type Edit = (world: World) => unknown;
    const container =
      (name: string, edit: (c: Container) => unknown): Edit =>
      (w) =>
        edit(mainContainer(w, name) as Container);
    const config =
      (map: string, key: string, value: string): Edit =>
      (w) =>
        Object.assign((named(w.objects, 'ConfigMap', map) as K8s).data as object, { [key]: value });
    const drop =
      (kind: string, name: string): Edit =>
      (w) =>
        Object.assign(w, {
          objects: w.objects.filter((o) => !(o.kind === kind && o.metadata.name === name)),
        });
    const edit =
      <T>(kind: string, name: string, change: (spec: T) => unknown): Edit =>
      (w) =>
        change(spec<T>(named(w.objects, kind, name) as K8s));
    const topic =
      (name: string, change: Partial<KafkaTopicSpec>): Edit =>
      (w) =>
        Object.assign(kafkaTopics(w).find((t) => t.spec.topicName === name)?.spec as object, change);
    const env = (name: string, variable: EnvVar) =>
      container(name, (c) =>
        Object.assign(c, { env: [...(c.env ?? []).filter((v) => v.name !== variable.name), variable] }),
      );
    const mutations: [keyof typeof checks, string, Edit, RegExp][] = [
      ['kustomize', 'an unlisted file', (w) => w.files.push('extra.yaml'), /extra\.yaml/],
      ['kustomize', 'no image tag', (w) => w.kustomization.images?.pop(), /image tag/],
      ['images', 'no insights Deployment', drop('Deployment', 'insights'), /insights/],
      [
        'images',
        'a foreign image',
        container('registry', (c) => Object.assign(c, { image: 'nginx:1' })),
        /nginx/,
      ],
      [
        'ports',
        'another container port',
        container('matchmaking', (c) => Object.assign(c, { ports: [{ containerPort: 50099 }] })),
        /50099/,
      ],
      ['ports', 'GRPC_PORT differs', config('insights-config', 'GRPC_PORT', '50055'), /GRPC_PORT/],
      ['ports', 'METRICS_PORT differs', config('registry-config', 'METRICS_PORT', '9400'), /METRICS_PORT/],
      [
        'variables',
        'an unknown variable',
        config('registry-config', 'MONGO_DATABASE', 'x'),
        /MONGO_DATABASE/,
      ],
      [
        'variables',
        "the gateway's variable",
        env('matchmaking', { name: 'HTTP_PORT', value: '1' }),
        /HTTP_PORT/,
      ],
      [
        'values',
        'a threshold above 1',
        config('matchmaking-config', 'MATCH_THRESHOLD', '1.5'),
        /MATCH_THRESHOLD/,
      ],
      [
        'values',
        'no MONGO_URL',
        container('techtransfer', (c) => Object.assign(c, { env: [] })),
        /MONGO_URL/,
      ],
      [
        'probes',
        'another port',
        container('registry', (c) => Object.assign(c, { livenessProbe: { grpc: { port: 50052 } } })),
        /50052/,
      ],
      [
        'probes',
        'another path',
        container('gateway', (c) =>
          Object.assign(c, { readinessProbe: { httpGet: { path: '/health', port: 'http' } } }),
        ),
        /\/health\b/,
      ],
      [
        'probes',
        'no startup probe',
        container('insights', (c) => Reflect.deleteProperty(c, 'startupProbe')),
        /startupProbe/,
      ],
      [
        'security',
        'a writable root',
        container('techtransfer', (c) =>
          Object.assign(c.securityContext as object, { readOnlyRootFilesystem: false }),
        ),
        /writable/,
      ],
      [
        'security',
        'no memory limit',
        container('gateway', (c) => Reflect.deleteProperty(c.resources?.limits ?? {}, 'memory')),
        /memory limits/,
      ],
      [
        'selection',
        'a Service selecting nothing',
        edit<ServiceSpec>('Service', 'registry', (s) => Object.assign(s, { selector: { app: 'registy' } })),
        /selects no pods/,
      ],
      [
        'selection',
        'no PodDisruptionBudget',
        drop('PodDisruptionBudget', 'registry'),
        /registry has no PodDisruptionBudget/,
      ],
      [
        'selection',
        'fixed replicas',
        edit<DeploymentSpec>('Deployment', 'gateway', (s) => Object.assign(s, { replicas: 3 })),
        /fixes replicas/,
      ],
      [
        'scaling',
        'past the partitions',
        topic(Topics.registryNeed, { partitions: 6 }),
        /partitions of its action group/,
      ],
      [
        'scaling',
        'no gateway autoscaler',
        drop('HorizontalPodAutoscaler', 'gateway'),
        /HorizontalPodAutoscaler for gateway/,
      ],
      [
        'scaling',
        'a fixed INSTANCE_ID',
        env('matchmaking', { name: 'INSTANCE_ID', value: 'one' }),
        /INSTANCE_ID/,
      ],
      [
        'topics',
        'no dead-letter topic',
        drop('KafkaTopic', 'techtransfer-cofunding-v1-dlq'),
        /cofunding\.v1\.dlq/,
      ],
      [
        'topics',
        'other partitions',
        topic(Topics.matchmakingDemand, { partitions: 6 }),
        /demand\.v1: 6 partitions/,
      ],
      [
        'topics',
        'a retention',
        topic(Topics.registryNeed, { config: { 'retention.ms': 604800000 } }),
        /retention/,
      ],
      [
        'topics',
        'a topic outside the catalogue',
        topic(Topics.registryNeed, { topicName: 'lienket.registry.needs.v1' }),
        /needs\.v1 is not in the catalogue/,
      ],
      [
        'topics',
        'a service using the probe topic',
        (w) => Object.assign(w.services[0] as object, { sources: 'Topics.testingProbe' }),
        /testing topic/,
      ],
      ['topics', 'services disagreeing', config('gateway-config', 'KAFKA_PARTITIONS', '6'), /disagree/],
      [
        'brokers',
        'another broker address',
        config('lienket-common', 'KAFKA_BROKERS', 'kafka:9092'),
        /kafka:9092/,
      ],
      [
        'mongo',
        "another database's role",
        edit<MongoSpec>('MongoDBCommunity', 'mongo', (s) =>
          Object.assign(s.users[0] as object, { roles: [{ name: 'readWrite', db: 'lienket_other' }] }),
        ),
        /readWrite on lienket_registry/,
      ],
      [
        'mongo',
        'a shared user',
        env('insights', {
          name: 'MONGO_URL',
          valueFrom: { secretKeyRef: { name: 'registry-mongo', key: 'connectionString.standard' } },
        }),
        /insights connects as registry/,
      ],
      [
        'addresses',
        'a wrong address',
        config('gateway-config', 'MATCHMAKING_ADDR', 'matchmaking:50053'),
        /MATCHMAKING_ADDR/,
      ],
      [
        'ingress',
        'another host',
        config('gateway-config', 'PUBLIC_URL', 'https://lienket.example.org'),
        /no Ingress/,
      ],
      [
        'ingress',
        'the gRPC port',
        edit<IngressSpec>('Ingress', 'gateway', (s) =>
          Object.assign(s.rules[0]?.http.paths[0]?.backend.service as object, { port: { name: 'grpc' } }),
        ),
        /goes to gateway:grpc/,
      ],
      [
        'telemetry',
        'the OTLP/gRPC port',
        config('lienket-common', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'http://otel-collector:4317'),
        /4317/,
      ],
      [
        'telemetry',
        'an undefined exporter',
        config(
          'otel-collector',
          'config.yaml',
          'service:\n  pipelines:\n    traces:\n      exporters: [zipkin]\n',
        ),
        /zipkin/,
      ],
      [
        'secrets',
        'an unknown Secret',
        container('gateway', (c) => c.envFrom?.push({ secretRef: { name: 'gateway-oauth' } })),
        /gateway-oauth/,
      ],
    ];

    it('covers every check', () => {
      expect([...new Set(mutations.map(([check]) => check))].sort()).toEqual(Object.keys(checks).sort());
    });

    it.each(
      mutations.map(([check, what, mutate, pattern]) => ({
        check,
        title: checks[check]?.title,
        what,
        mutate,
        pattern,
      })),
    )('$title: $what', async ({ check, mutate, pattern }) => {
      // The data is copied; the services' config schemas (functions) are shared.
      const copy: World = {
        ...structuredClone({ ...world, services: [] }),
        services: world.services.map((service) => ({ ...service })),
      };
      mutate(copy);
      expect((await (checks[check] as { run: Check }).run(copy)).join('\n')).toMatch(pattern);
    });
  });

  it('docs/events.md has the current event catalogue', async () => {
    const path = join(root, 'docs/events.md');
    const generated = await eventsCatalogue(world.services);
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const begin = text.indexOf(GENERATED_BEGIN);
    const end = text.indexOf(GENERATED_END);
    if (process.env.LIENKET_WRITE_DOCS === '1' && begin >= 0 && end > begin) {
      writeFileSync(path, text.slice(0, begin) + generated + text.slice(end + GENERATED_END.length));
      say('docs/events.md updated');
    }
    const current = readFileSync(path, 'utf8');
    const block = current.slice(
      current.indexOf(GENERATED_BEGIN),
      current.indexOf(GENERATED_END) + GENERATED_END.length,
    );
    expect(block).toBe(generated);
    for (const topic of Object.values(Topics)) expect(block).toContain(`\`${topic}\``);
    for (const definition of eventCatalogue) expect(block).toContain(`\`${definition.type}\``);
  });
});
