import type { createKafka } from '@lienket/eventbus';
import type { Logger } from '@lienket/platform';
import type { Express } from 'express';
import type mongoose from 'mongoose';
import type { GatewayConfig } from './config';
import type { Documentation } from './http/openapi';
import type { ServiceClients } from './routes/clients';

/** Something a module started, stopped in reverse order on shutdown. */
export interface GatewayPart {
  name: string;
  stop(): Promise<void>;
}

/**
 * What a gateway module (streams, webhooks, AsyncAPI, portal) gets to wire itself in. Its own
 * module, so that the modules and the code that wires them (service.ts, extensions.ts) do not
 * import each other.
 */
export interface GatewayContext {
  config: GatewayConfig;
  log: Logger;
  db: mongoose.mongo.Db;
  /** The mongoose connection on `db`, for the modules' models. */
  connection: mongoose.Connection;
  kafka: ReturnType<typeof createKafka>;
  clients: ServiceClients;
  /** Stopped in reverse order on shutdown. */
  parts: GatewayPart[];
  /** OpenAPI paths and schemas of the HTTP handlers a module mounts itself. */
  documentation: Documentation;
  /** Mount HTTP handlers (before the REST routes). */
  extensions: ((app: Express) => void)[];
}
