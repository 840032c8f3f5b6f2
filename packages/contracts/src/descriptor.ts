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
