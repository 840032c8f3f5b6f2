// The gateway's OpenAPI document, built by the same code that serves /openapi.json, without starting
// anything: the route table (its handlers never run here), plus what the stream and webhook modules add.

import { openApiDocument } from '../../../services/gateway/src/http/openapi';
import type { ServiceClients } from '../../../services/gateway/src/routes/clients';
import { allRoutes } from '../../../services/gateway/src/service';
import { streamPaths } from '../../../services/gateway/src/stream/openapi';
import { webhookPaths, webhookSchemas } from '../../../services/gateway/src/webhooks/openapi';

// Every method of every client: the route table keeps them, and calls none while building the document.
const refuse = () => {
  throw new Error('a route called a service while only the document was wanted');
};
const client = new Proxy({}, { get: () => refuse });
const unused = new Proxy({} as ServiceClients, { get: () => client });

export function gatewayOpenApiDocument(serverUrl = 'http://127.0.0.1:8080') {
  return openApiDocument(allRoutes(unused), serverUrl, {
    paths: { ...streamPaths, ...webhookPaths },
    schemas: { ...webhookSchemas },
  });
}

if (require.main === module) process.stdout.write(`${JSON.stringify(gatewayOpenApiDocument(), null, 2)}\n`);
