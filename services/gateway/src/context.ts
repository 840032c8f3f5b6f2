import type { createKafka } from '@lienket/eventbus';
import type { Logger } from '@lienket/platform';
import type { Express } from 'express';
import type mongoose from 'mongoose';
import type { GatewayConfig } from './config';
import type { Documentation } from './http/openapi';
import type { ServiceClients } from './routes/clients';

/** The live event stream's figures. */
export interface StreamStats {
  /** Open sessions, and those reading from the process's hub (not a consumer of their own). */
  sessions(): number;
  onHub(): number;
  hub: { messages: number; listeners: number };
  /** The hub's consumer group (one per process). */
  hubGroupId: string;
  cutOffs: { buffered: number; stalled: number; evicted: number };
}

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
  /** What modules report of themselves (tests, benchmarks). */
  stats: { stream?: StreamStats };
  /** Mount HTTP handlers (after the REST routes). */
  extensions: ((app: Express) => void)[];
}
