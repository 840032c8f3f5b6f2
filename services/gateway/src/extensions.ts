import { install as installAsyncApi } from './asyncapi';
import type { GatewayContext } from './context';
import { install as installPortal } from './portal';
import { install as installStream } from './stream';
import { install as installWebhooks } from './webhooks';

/** The gateway's modules beside the REST routes, wired in this order. */
export const modules: ((context: GatewayContext) => Promise<void>)[] = [
  installPortal,
  installStream,
  installWebhooks,
  installAsyncApi,
];
