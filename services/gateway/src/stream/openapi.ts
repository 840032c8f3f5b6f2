/** The OpenAPI description of `GET /v1/events/stream` (the events themselves are in /asyncapi.json). */
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const list = (description: string, pattern: string) => ({
  in: 'query',
  description: `${description}; repeat or separate with commas`,
  style: 'form',
  explode: true,
  schema: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 100, pattern } },
});

export const streamPaths: Record<string, Record<string, unknown>> = {
  '/v1/events/stream': {
    get: {
      operationId: 'streamEvents',
      summary: 'Every public event as CloudEvents JSON, live (Server-Sent Events)',
      description:
        'Each event is `id: <cursor>`, `event: <CloudEvents type>`, `data: <CloudEvent JSON>`; `: heartbeat` ' +
        'comments keep the connection alive. Resume after a disconnect with the last id in `Last-Event-ID` ' +
        '(or `last_event_id`): the missed events come exactly once. Without a cursor or `since`, only new ' +
        'events. Event payloads are described in /asyncapi.json.',
      tags: ['events'],
      'x-lienket-callers': ['enterprise', 'province', 'analyst', 'admin'],
      security: [{ bearerAuth: [] }],
      parameters: [
        { name: 'type', ...list('CloudEvents type prefixes, e.g. vn.lienket.matchmaking.', '^[a-z0-9._]+$') },
        { name: 'province', ...list('Province codes', '^[0-9]{2}$') },
        { name: 'region', ...list('Region codes', '^[A-Z]{2,3}$') },
        { name: 'sector', ...list('VSIC or HS code prefixes', '^[0-9]{2,8}$') },
        {
          name: 'since',
          in: 'query',
          description: 'Replay from this time (RFC 3339)',
          schema: { type: 'string', format: 'date-time' },
        },
        {
          name: 'last_event_id',
          in: 'query',
          description: 'Resume after this event id',
          schema: { type: 'string', maxLength: 4000 },
        },
        {
          name: 'Last-Event-ID',
          in: 'header',
          description: 'Resume after this event id',
          schema: { type: 'string', maxLength: 4000 },
        },
      ],
      responses: {
        '200': {
          description: 'The event stream',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
        '400': problem('Invalid filter, time or cursor'),
        '401': problem('Missing, expired or invalid token'),
        '429': problem('Too many open streams (Retry-After)'),
        '431': { description: 'The request line or headers are too large' },
        '503': problem('The event store is unavailable; retry'),
      },
    },
  },
};
