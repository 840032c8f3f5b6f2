// Regenerates packages/contracts/gen from proto/: TypeScript through ts-proto and a binary
// descriptor set for gRPC server reflection. Skips the work when proto/ has not changed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');
const gen = join(root, 'packages/contracts/gen');
const stamp = join(gen, '.proto-hash');

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// grpc.health.v1 as published with grpc-health-check, compiled by buf too: reflection serves it
// (protobufjs's own descriptor of it names the map entry wrongly, which grpcurl refuses).
const healthProtoRoot = join(root, 'node_modules/grpc-health-check/proto');
const healthProto = join(healthProtoRoot, 'health/v1/health.proto');

const inputs = [
  ...filesUnder(join(root, 'proto')),
  join(root, 'buf.yaml'),
  join(root, 'buf.gen.yaml'),
  join(root, 'node_modules/ts-proto/package.json'),
  healthProto,
].sort();
const hash = createHash('sha256');
for (const file of inputs) hash.update(relative(root, file)).update(readFileSync(file));
const digest = hash.digest('hex');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest && !process.argv.includes('--force')) {
  console.log('contracts: proto/ unchanged, generated code is current');
  process.exit(0);
}

const buf = join(root, 'node_modules/.bin/buf');
const run = (args) => execFileSync(buf, args, { cwd: root, stdio: 'inherit' });
run(['generate']);
run(['build', '-o', 'packages/contracts/gen/descriptor.binpb']);
run(['build', relative(root, healthProtoRoot), '-o', 'packages/contracts/gen/health.binpb']);
writeFileSync(stamp, digest);
console.log(`contracts: generated from ${inputs.length - 4} proto files and grpc.health.v1`);
