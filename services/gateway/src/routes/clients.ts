import type {
  identityServiceV1 as ids,
  insightsServiceV1 as ins,
  matchmakingServiceV1 as mm,
  programmeServiceV1 as ps,
  registryServiceV1 as reg,
  techtransferServiceV1 as tts,
} from '@lienket/contracts';
import { type Actor, actorMetadata, type CallOptions, type PromiseClient } from '@lienket/platform';
import type { Request } from 'express';

export interface ServiceClients {
  registry: PromiseClient<typeof reg.RegistryServiceService>;
  matchmaking: PromiseClient<typeof mm.MatchmakingServiceService>;
  techtransfer: PromiseClient<typeof tts.TechTransferServiceService>;
  insights: PromiseClient<typeof ins.InsightsServiceService>;
  programme: PromiseClient<typeof ps.ProgrammeServiceService>;
  /** Only when the gateway is given IDENTITY_ADDR. */
  identity?: PromiseClient<typeof ids.IdentityServiceService> | undefined;
}

/** gRPC call options for a request: the caller as actor metadata, and the request id for tracing logs. */
export function callAs(actor: Actor, request?: Request): CallOptions {
  const metadata = actorMetadata(actor);
  const id = request?.headers['x-request-id'];
  if (typeof id === 'string') metadata.set('x-request-id', id);
  return { metadata };
}
