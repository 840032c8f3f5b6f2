import type { JsonSchema } from '@lienket/contracts';
import { regions } from '@lienket/reference';
import { deliveryStatuses } from './store';

/** OpenAPI paths and schemas of `/v1/subscriptions`, merged into the gateway's document. */
const callers = ['province', 'analyst', 'admin'];
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const refusals = {
  '400': problem('Invalid request (field errors listed)'),
  '401': problem('Missing, expired or invalid token'),
  '403': problem('The caller may not hold subscriptions'),
  '404': problem('No such subscription of the caller'),
  '413': problem('The body is larger than the limit'),
  '415': problem('The body is not application/json'),
  '422': problem(
    'Refused by a rule this document cannot state: an unreachable or private target, a malformed secret or page token, too many subscriptions (field errors listed)',
  ),
  '429': problem('Rate limit exceeded'),
  '431': { description: 'The request line or headers are too large' },
  '503': problem('A target host could not be resolved just now; retry'),
};
const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const id = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Subscription id',
  schema: { type: 'string', maxLength: 64 },
};
const paging = [
  {
    name: 'page_size',
    in: 'query',
    description: 'Items per page (1..100)',
    schema: { type: 'integer', minimum: 1, maximum: 100 },
  },
  {
    name: 'page_token',
    in: 'query',
    description: 'next_page_token of the previous page',
    schema: { type: 'string', maxLength: 200 },
  },
];
const operation = (operationId: string, summary: string, extra: Record<string, unknown>) => ({
  operationId,
  summary,
  tags: ['webhooks'],
  'x-lienket-callers': callers,
  security: [{ bearerAuth: [] }],
  parameters: [],
  ...extra,
});

/** A list as the server reads it: an array of strings or one string, each split on commas. */
const listOf = (item: string, description: string): JsonSchema => {
  const pattern = `^\\s*(?:${item})?\\s*(?:,\\s*(?:${item})?\\s*)*$`;
  return {
    description: `${description}; an array, or one comma-separated string`,
    anyOf: [
      { type: 'array', items: { type: 'string', maxLength: 1000, pattern }, maxItems: 50 },
      { type: 'string', maxLength: 1000, pattern },
    ],
  };
};
const filter: JsonSchema = {
  type: 'object',
  description: 'Empty lists match everything; all given lists must match (at most 50 values each)',
  properties: {
    type: listOf('[a-z0-9._]{1,100}', 'CloudEvents type prefixes, e.g. vn.lienket.matchmaking.'),
    province: listOf('[0-9]{2}', 'Two-digit province codes'),
    region: listOf(regions.map((r) => r.code).join('|'), 'Region codes'),
    sector: listOf('[0-9]{2,8}', 'VSIC or HS code prefixes'),
  },
  additionalProperties: false,
};

export const webhookSchemas: Record<string, JsonSchema> = {
  WebhookFilter: filter,
  WebhookSubscription: {
    type: 'object',
    required: ['id', 'owner', 'target_url', 'filter', 'active', 'created_at', 'updated_at'],
    properties: {
      id: { type: 'string' },
      owner: { type: 'string', description: 'The token subject that owns it' },
      target_url: { type: 'string', format: 'uri' },
      filter: { $ref: '#/components/schemas/WebhookFilter' },
      description: { type: 'string' },
      active: { type: 'boolean' },
      created_at: { type: 'string', format: 'date-time' },
      updated_at: { type: 'string', format: 'date-time' },
      secret: { type: 'string', description: 'Only in the answer to its creation (whsec_…)' },
    },
  },
  WebhookSubscriptionInput: {
    type: 'object',
    required: ['target_url'],
    properties: {
      target_url: {
        type: 'string',
        format: 'uri',
        pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
        maxLength: 2000,
        description: 'http(s); public addresses only unless configured',
      },
      secret: {
        type: 'string',
        // 24 to 64 key bytes; the exact byte count is checked by the server (422).
        pattern: '^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$',
        minLength: 38,
        maxLength: 94,
        description: 'whsec_<base64 of 24 to 64 random bytes>; generated when left out (creation only)',
      },
      filter: { $ref: '#/components/schemas/WebhookFilter' },
      description: { type: 'string', maxLength: 500 },
      active: { type: 'boolean' },
    },
    additionalProperties: false,
  },
  WebhookSubscriptionPatch: {
    type: 'object',
    minProperties: 1,
    properties: {
      target_url: { type: 'string', format: 'uri', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://', maxLength: 2000 },
      filter: { $ref: '#/components/schemas/WebhookFilter' },
      description: { type: 'string', maxLength: 500 },
      active: { type: 'boolean' },
    },
    additionalProperties: false,
  },
  WebhookSubscriptionList: {
    type: 'object',
    properties: {
      subscriptions: { type: 'array', items: { $ref: '#/components/schemas/WebhookSubscription' } },
      next_page_token: { type: 'string' },
    },
  },
  WebhookDelivery: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      event_id: { type: 'string' },
      event_type: { type: 'string' },
      status: { type: 'string', enum: [...deliveryStatuses] },
      attempts: { type: 'integer' },
      last_status_code: { type: ['integer', 'null'] },
      last_error: { type: ['string', 'null'] },
      last_attempt_at: { type: ['string', 'null'], format: 'date-time' },
      next_attempt_at: { type: ['string', 'null'], format: 'date-time' },
      delivered_at: { type: ['string', 'null'], format: 'date-time' },
      created_at: { type: ['string', 'null'], format: 'date-time' },
      updated_at: { type: ['string', 'null'], format: 'date-time' },
      history: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            at: { type: ['string', 'null'], format: 'date-time' },
            status_code: { type: ['integer', 'null'] },
            error: { type: ['string', 'null'] },
            duration_ms: { type: ['number', 'null'] },
          },
        },
      },
    },
  },
  WebhookDeliveryList: {
    type: 'object',
    properties: {
      deliveries: { type: 'array', items: { $ref: '#/components/schemas/WebhookDelivery' } },
      next_page_token: { type: 'string' },
    },
  },
};

export const webhookPaths: Record<string, Record<string, unknown>> = {
  '/v1/subscriptions': {
    post: operation('createSubscription', 'Subscribe a URL to public events (signed webhooks)', {
      requestBody: { required: true, content: json('WebhookSubscriptionInput') },
      responses: {
        '201': {
          description: 'Created; the secret is shown this once',
          content: json('WebhookSubscription'),
        },
        ...refusals,
      },
    }),
    get: operation('listSubscriptions', 'The caller’s subscriptions (admins: all)', {
      parameters: paging,
      responses: { '200': { description: 'OK', content: json('WebhookSubscriptionList') }, ...refusals },
    }),
  },
  '/v1/subscriptions/{id}': {
    get: operation('getSubscription', 'One subscription (without its secret)', {
      parameters: [id],
      responses: { '200': { description: 'OK', content: json('WebhookSubscription') }, ...refusals },
    }),
    patch: operation('updateSubscription', 'Change the target, filter, description or active flag', {
      parameters: [id],
      requestBody: { required: true, content: json('WebhookSubscriptionPatch') },
      responses: { '200': { description: 'OK', content: json('WebhookSubscription') }, ...refusals },
    }),
    delete: operation('deleteSubscription', 'Delete a subscription and its delivery log', {
      parameters: [id],
      responses: { '204': { description: 'Deleted' }, ...refusals },
    }),
  },
  '/v1/subscriptions/{id}/test': {
    post: operation('testSubscription', 'Send a signed test event to the subscription’s URL now', {
      description:
        'Queues one delivery of a `vn.lienket.webhooks.subscription.tested.v1` CloudEvent, signed and retried like ' +
        'any event; it appears in the delivery log with that `event_type`. The subscription must be active, and ' +
        'one test at a time is sent per subscription.',
      parameters: [id],
      responses: {
        '202': { description: 'Queued; the delivery as logged', content: json('WebhookDelivery') },
        ...refusals,
        '422': problem('The subscription is paused, or its previous test delivery is still under way'),
      },
    }),
  },
  '/v1/subscriptions/{id}/deliveries': {
    get: operation('listDeliveries', 'The delivery log, newest first', {
      parameters: [
        id,
        ...paging,
        {
          name: 'status',
          in: 'query',
          description: 'Only this status',
          schema: { type: 'string', enum: [...deliveryStatuses] },
        },
      ],
      responses: { '200': { description: 'OK', content: json('WebhookDeliveryList') }, ...refusals },
    }),
  },
};
