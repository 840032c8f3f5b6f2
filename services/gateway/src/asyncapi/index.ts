import type { Express, Request, Response } from 'express';
import type { GatewayContext } from '../context';
import { etagOf, sendJson } from '../http/api';
import { type AsyncApiDocument, asyncApiDocument } from './document';

export { type AsyncApiDocument, type AsyncApiOptions, asyncApiDocument } from './document';

/** `GET /asyncapi.json`: the document, public (no token needed), with an ETag. */
export function asyncApiHandler(document: AsyncApiDocument) {
  const json = JSON.stringify(document);
  const tag = etagOf(json);
  return (request: Request, response: Response) =>
    sendJson(request, response, json, tag, 200, 'public, max-age=300');
}

/** Serves the AsyncAPI 3.0 document of the events at `GET /asyncapi.json`. */
export async function install(context: GatewayContext): Promise<void> {
  const { config } = context;
  const document = asyncApiDocument({
    brokers: config.KAFKA_BROKERS,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    publicUrl: config.PUBLIC_URL ?? `http://127.0.0.1:${config.HTTP_PORT}`,
    partitions: config.KAFKA_PARTITIONS,
    replicas: config.KAFKA_REPLICATION_FACTOR,
  });
  const handler = asyncApiHandler(document);
  context.extensions.push((app: Express) => {
    app.get('/asyncapi.json', handler);
  });
}
