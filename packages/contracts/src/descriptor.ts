import { join } from 'node:path';

/**
 * Path of the binary FileDescriptorSet built from proto/ (by `npm run generate`), used for gRPC
 * server reflection. Resolved from the package root so it works from src/ (tests) and dist/.
 */
export const descriptorSetPath: string = join(
  require.resolve('@lienket/contracts/package.json'),
  '..',
  'gen',
  'descriptor.binpb',
);

/**
 * Path of the binary FileDescriptorSet of grpc.health.v1 (grpc-health-check's health.proto, compiled
 * by buf in `npm run generate`), so that reflection serves it exactly as protoc would.
 */
export const healthDescriptorSetPath: string = join(
  require.resolve('@lienket/contracts/package.json'),
  '..',
  'gen',
  'health.binpb',
);
