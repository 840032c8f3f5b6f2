import {
  type Actor,
  AppError,
  decodePageToken,
  encodePageToken,
  type FieldViolation,
  invalidArgument,
  isAppError,
  uuidv7,
} from '@lienket/platform';
import { webhookTestEventType } from '@lienket/reference';
import { type Request, type Response, Router } from 'express';
import { actorOf } from '../app';
import { type EventFilter, type PublicEvent, parseFilter } from '../events/public-events';
import { documentValidators } from '../http/conformance';
import { checkTarget, isTargetProblem, type Resolver } from './address';
import { newDelivery } from './consumer';
import { webhookPaths, webhookSchemas } from './openapi';
import { generateSecret, isValidSecret } from './signature';
import {
  bumpSubscriptionsVersion,
  type DeliveryDocument,
  type DeliveryStatus,
  deliveryStatuses,
  enqueueDeliveries,
  type SubscriptionDocument,
  type WebhookCollections,
} from './store';

/**
 * Who may hold webhook subscriptions: analysts, province officers (provincial systems) and admins.
 * Enterprises are refused: the public events they care about are on the live stream, and the
 * platform does not make outbound calls on behalf of tens of thousands of accounts.
 */
export const subscriberRoles: readonly Actor['role'][] = ['analyst', 'province', 'admin', 'service'];
const seesAll = (actor: Actor) => actor.role === 'admin' || actor.role === 'service';

export const MAX_SUBSCRIPTIONS_PER_OWNER = 100;
const MAX_DESCRIPTION = 500;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface RouterOptions {
  collections: WebhookCollections;
  allowPrivateTargets: boolean;
  resolve?: Resolver;
  /** Called after this instance changed a subscription (before the answer). */
  onChange?: () => void;
  /** Called after a test delivery was stored (wakes the sender). */
  onEnqueued?: () => void;
}

/**
 * The CloudEvents type of a test delivery (`POST /v1/subscriptions/{id}/test`): sent through the same
 * queue, signature and retries as every event, but never published on Kafka nor seen by filters.
 */
export const TEST_EVENT_TYPE = webhookTestEventType;

/** The signed test event a subscription's owner asks for: its data says what it is, in both languages. */
export function testEvent(subscription: SubscriptionDocument, at: Date): PublicEvent {
  return {
    specversion: '1.0',
    id: uuidv7(at.getTime()),
    type: TEST_EVENT_TYPE,
    source: '/lienket/gateway/webhooks',
    subject: subscription._id,
    time: at.toISOString(),
    datacontenttype: 'application/json',
    data: {
      subscriptionId: subscription._id,
      message: 'A test delivery from LienKet: your endpoint receives and can verify signed events.',
      messageVi: 'Lần gửi thử từ LienKet: địa chỉ của bạn nhận được và kiểm chứng được sự kiện đã ký.',
    },
  };
}

const violation = (field: string, reason: string, description: string, descriptionVi: string) => ({
  field,
  reason,
  description,
  descriptionVi,
});

function callerOf(request: Request): Actor {
  const actor = actorOf(request);
  if (actor.role === 'anonymous')
    throw new AppError('UNAUTHENTICATED', 'Sign in to manage webhook subscriptions', {
      messageVi: 'Vui lòng đăng nhập để quản lý đăng ký webhook',
    });
  if (!subscriberRoles.includes(actor.role))
    throw new AppError('PERMISSION_DENIED', `The ${actor.role} role may not hold webhook subscriptions`, {
      code: 'ROLE_NOT_ALLOWED',
      messageVi: `Vai trò ${actor.role} không được đăng ký webhook`,
    });
  if (!actor.subject)
    throw new AppError('UNAUTHENTICATED', 'The token names no subject (sub) to own subscriptions', {
      code: 'INVALID_TOKEN',
      messageVi: 'Token không có chủ thể (sub)',
    });
  return actor;
}

const notFound = (id: string) =>
  new AppError('NOT_FOUND', `No webhook subscription ${id}`, {
    code: 'SUBSCRIPTION_NOT_FOUND',
    messageVi: `Không có đăng ký webhook ${id}`,
  });

const filterJson = (filter: EventFilter) => ({
  type: filter.types,
  province: filter.provinces,
  region: filter.regions,
  sector: filter.sectors,
});

export const subscriptionJson = (s: SubscriptionDocument) => ({
  id: s._id,
  owner: s.owner,
  target_url: s.target_url,
  filter: filterJson(s.filter),
  description: s.description,
  active: s.active,
  created_at: s.created_at.toISOString(),
  updated_at: s.updated_at.toISOString(),
});

const iso = (date: Date | null | undefined) => (date ? new Date(date).toISOString() : null);

export const deliveryJson = (d: DeliveryDocument) => ({
  id: d._id,
  event_id: d.event_id,
  event_type: d.event_type,
  status: d.status,
  attempts: d.attempts,
  last_status_code: d.last_status_code,
  last_error: d.last_error,
  last_attempt_at: iso(d.last_attempt_at),
  next_attempt_at: d.status === 'pending' ? iso(d.next_attempt_at) : null,
  delivered_at: iso(d.delivered_at),
  created_at: iso(d.created_at),
  updated_at: iso(d.updated_at),
  history: (d.history ?? []).map((a) => ({
    at: iso(a.at),
    status_code: a.status_code,
    error: a.error,
    duration_ms: a.duration_ms,
  })),
});

const bodyObject = (request: Request): Record<string, unknown> => {
  const body = request.body as unknown;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidArgument([
      violation('body', 'type', 'The body must be a JSON object', 'Nội dung phải là một đối tượng JSON'),
    ]);
  return body as Record<string, unknown>;
};

function unknownFields(
  body: Record<string, unknown>,
  allowed: readonly string[],
  violations: FieldViolation[],
) {
  for (const key of Object.keys(body))
    if (!allowed.includes(key))
      violations.push(
        key === 'secret'
          ? violation(
              'secret',
              'immutable',
              'The secret is set on creation only (make a new subscription to change it)',
              'Khóa bí mật chỉ đặt khi tạo đăng ký',
            )
          : violation(key, 'unknown_field', `${key} is not a known field`, `${key} không phải trường hợp lệ`),
      );
}

const FILTER_KEYS = ['type', 'province', 'region', 'sector'] as const;

function readFilter(value: unknown, violations: FieldViolation[]): EventFilter | undefined {
  if (value === undefined || value === null) return { types: [], provinces: [], regions: [], sectors: [] };
  if (typeof value !== 'object' || Array.isArray(value)) {
    violations.push(
      violation(
        'filter',
        'type',
        'filter is an object with type, province, region and sector lists',
        'filter là đối tượng gồm các danh sách type, province, region, sector',
      ),
    );
    return undefined;
  }
  const record = value as Record<string, unknown>;
  let ok = true;
  for (const key of Object.keys(record)) {
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      violations.push(
        violation(
          `filter.${key}`,
          'unknown_field',
          `filter.${key} is not a known field`,
          `filter.${key} không hợp lệ`,
        ),
      );
      ok = false;
      continue;
    }
    const list = record[key];
    if (
      list !== undefined &&
      !(typeof list === 'string' || (Array.isArray(list) && list.every((v) => typeof v === 'string')))
    ) {
      violations.push(
        violation(
          `filter.${key}`,
          'type',
          `filter.${key} is a list of strings`,
          `filter.${key} là danh sách chuỗi`,
        ),
      );
      ok = false;
    }
  }
  if (!ok) return undefined;
  try {
    return parseFilter(record);
  } catch (error) {
    if (!isAppError(error)) throw error;
    for (const v of error.violations) violations.push({ ...v, field: `filter.${v.field}` });
    return undefined;
  }
}

async function readTarget(
  value: unknown,
  options: RouterOptions,
  violations: FieldViolation[],
): Promise<string | undefined> {
  let checked: Awaited<ReturnType<typeof checkTarget>>;
  try {
    checked = await checkTarget(value, {
      allowPrivate: options.allowPrivateTargets,
      ...(options.resolve ? { resolve: options.resolve } : {}),
    });
  } catch (error) {
    throw new AppError('UNAVAILABLE', 'The target host could not be resolved just now; try again', {
      code: 'DNS_UNAVAILABLE',
      messageVi: 'Chưa phân giải được máy chủ đích; vui lòng thử lại',
      cause: error,
    });
  }
  if (isTargetProblem(checked)) {
    violations.push({ field: 'target_url', ...checked });
    return undefined;
  }
  return checked.href;
}

function readDescription(value: unknown, violations: FieldViolation[]): string | undefined {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string' || value.length > MAX_DESCRIPTION) {
    violations.push(
      violation(
        'description',
        'invalid',
        `A text of at most ${MAX_DESCRIPTION} characters`,
        `Văn bản tối đa ${MAX_DESCRIPTION} ký tự`,
      ),
    );
    return undefined;
  }
  return value.trim();
}

function readActive(value: unknown, violations: FieldViolation[]): boolean | undefined {
  if (typeof value === 'boolean') return value;
  violations.push(violation('active', 'type', 'active is true or false', 'active là true hoặc false'));
  return undefined;
}

function pageOf(query: Record<string, unknown>): { size: number; after: string } {
  const violations: FieldViolation[] = [];
  const rawSize = query.page_size;
  let size = 20;
  if (rawSize !== undefined) {
    size = Number(rawSize);
    if (!Number.isInteger(size) || size < 1 || size > 100) {
      violations.push(
        violation('query.page_size', 'range', 'page_size is 1 to 100', 'page_size từ 1 đến 100'),
      );
    }
  }
  const token = typeof query.page_token === 'string' ? query.page_token : '';
  const after = token ? decodePageToken(token) : '';
  if (token && !ID.test(after))
    violations.push(
      violation('query.page_token', 'invalid', 'Not a page token from this list', 'page_token không hợp lệ'),
    );
  if (violations.length > 0) throw invalidArgument(violations);
  return { size, after };
}

/** Field errors of the body, named as the document's validator names them (`body.target_url`). */
const bodyInvalid = (violations: FieldViolation[]) =>
  invalidArgument(violations.map((v) => (v.field === 'body' ? v : { ...v, field: `body.${v.field}` })));

function noStore(response: Response) {
  response.setHeader('Cache-Control', 'no-store');
}

/** `/v1/subscriptions`: webhook subscriptions of the caller (all of them for admins) and their delivery logs. */
export function subscriptionRouter(options: RouterOptions): Router {
  const { subscriptions, deliveries, versions } = options.collections;
  const router = Router();
  /** After a subscription write: this instance's cache at once, the others' by the version counter. */
  const changed = async () => {
    options.onChange?.();
    await bumpSubscriptionsVersion(versions);
  };
  // The document is the first validator (400); the checks below hold what it cannot state (422).
  for (const { method, path, validate } of documentValidators(
    webhookPaths,
    { schemas: webhookSchemas },
    callerOf,
  ))
    router[method](path, validate);

  const visible = (actor: Actor, id: string) =>
    seesAll(actor) ? { _id: id } : { _id: id, owner: actor.subject };

  async function findVisible(actor: Actor, id: string): Promise<SubscriptionDocument> {
    if (!ID.test(id)) throw notFound(id);
    const found = await subscriptions.findOne(visible(actor, id)).lean();
    if (!found) throw notFound(id);
    return found;
  }

  router.post('/v1/subscriptions', async (request, response) => {
    const actor = callerOf(request);
    const body = bodyObject(request);
    const violations: FieldViolation[] = [];
    unknownFields(body, ['target_url', 'secret', 'filter', 'description', 'active'], violations);
    const target = await readTarget(body.target_url, options, violations);
    const filter = readFilter(body.filter, violations);
    const description = readDescription(body.description, violations);
    const active = body.active === undefined ? true : readActive(body.active, violations);
    if (body.secret !== undefined && !isValidSecret(body.secret))
      violations.push(
        violation(
          'secret',
          'invalid_secret',
          'A secret is "whsec_" and the base64 of 24 to 64 random bytes (leave it out to get one)',
          'Khóa bí mật có dạng "whsec_" và base64 của 24 đến 64 byte ngẫu nhiên (bỏ trống để được cấp)',
        ),
      );
    if (violations.length > 0) throw bodyInvalid(violations);
    const owned = await subscriptions.countDocuments({ owner: actor.subject });
    if (owned >= MAX_SUBSCRIPTIONS_PER_OWNER)
      throw new AppError('FAILED_PRECONDITION', `At most ${MAX_SUBSCRIPTIONS_PER_OWNER} subscriptions each`, {
        code: 'TOO_MANY_SUBSCRIPTIONS',
        messageVi: `Tối đa ${MAX_SUBSCRIPTIONS_PER_OWNER} đăng ký mỗi người dùng`,
      });
    const now = new Date();
    const secret = (body.secret as string | undefined) ?? generateSecret();
    const document: SubscriptionDocument = {
      _id: uuidv7(now.getTime()),
      owner: actor.subject,
      target_url: target as string,
      secret,
      filter: filter as EventFilter,
      description: description as string,
      active: active as boolean,
      created_at: now,
      updated_at: now,
    };
    await subscriptions.create(document);
    await changed();
    noStore(response);
    response
      .status(201)
      .location(`/v1/subscriptions/${document._id}`)
      .json({ ...subscriptionJson(document), secret });
  });

  router.get('/v1/subscriptions', async (request, response) => {
    const actor = callerOf(request);
    const { size, after } = pageOf(request.query as Record<string, unknown>);
    const found = await subscriptions
      .find(
        {
          ...(seesAll(actor) ? {} : { owner: actor.subject }),
          ...(after ? { _id: { $lt: after } } : {}),
        },
        undefined,
        { sort: { _id: -1 }, limit: size + 1 },
      )
      .lean();
    const page = found.slice(0, size);
    noStore(response);
    response.json({
      subscriptions: page.map(subscriptionJson),
      next_page_token: found.length > size ? encodePageToken((page.at(-1) as SubscriptionDocument)._id) : '',
    });
  });

  router.get('/v1/subscriptions/:id', async (request, response) => {
    const found = await findVisible(callerOf(request), String(request.params.id));
    noStore(response);
    response.json(subscriptionJson(found));
  });

  router.patch('/v1/subscriptions/:id', async (request, response) => {
    const actor = callerOf(request);
    const id = String(request.params.id);
    await findVisible(actor, id);
    const body = bodyObject(request);
    const violations: FieldViolation[] = [];
    unknownFields(body, ['target_url', 'filter', 'description', 'active'], violations);
    const set: Partial<SubscriptionDocument> = {};
    if (body.target_url !== undefined) {
      const target = await readTarget(body.target_url, options, violations);
      if (target) set.target_url = target;
    }
    if (body.filter !== undefined) {
      const filter = readFilter(body.filter, violations);
      if (filter) set.filter = filter;
    }
    if (body.description !== undefined) {
      const description = readDescription(body.description, violations);
      if (description !== undefined) set.description = description;
    }
    if (body.active !== undefined) {
      const active = readActive(body.active, violations);
      if (active !== undefined) set.active = active;
    }
    if (violations.length === 0 && Object.keys(body).length === 0)
      violations.push(
        violation(
          'body',
          'empty',
          'Name at least one of target_url, filter, description, active',
          'Cần ít nhất một trường: target_url, filter, description, active',
        ),
      );
    if (violations.length > 0) throw bodyInvalid(violations);
    const updated = await subscriptions
      .findOneAndUpdate(visible(actor, id), { $set: { ...set, updated_at: new Date() } }, { new: true })
      .lean();
    if (!updated) throw notFound(id);
    await changed();
    noStore(response);
    response.json(subscriptionJson(updated));
  });

  router.delete('/v1/subscriptions/:id', async (request, response) => {
    const actor = callerOf(request);
    const id = String(request.params.id);
    if (!ID.test(id)) throw notFound(id);
    const { deletedCount } = await subscriptions.deleteOne(visible(actor, id));
    if (deletedCount === 0) throw notFound(id);
    await changed();
    // Its log goes with it; a delivery in flight finds the subscription gone and is not retried.
    await deliveries.deleteMany({ subscription_id: id });
    response.status(204).end();
  });

  router.post('/v1/subscriptions/:id/test', async (request, response) => {
    const subscription = await findVisible(callerOf(request), String(request.params.id));
    if (!subscription.active)
      throw new AppError('FAILED_PRECONDITION', 'The subscription is paused: resume it to send a test', {
        code: 'SUBSCRIPTION_PAUSED',
        messageVi: 'Đăng ký đang tạm dừng: hãy bật lại để gửi thử',
      });
    // One test at a time per subscription: the button cannot make the gateway flood an address.
    const underWay = await deliveries
      .findOne(
        { subscription_id: subscription._id, event_type: TEST_EVENT_TYPE, status: 'pending' },
        { _id: 1 },
      )
      .lean();
    if (underWay)
      throw new AppError('FAILED_PRECONDITION', 'A test delivery of this subscription is still under way', {
        code: 'TEST_UNDER_WAY',
        messageVi: 'Một lần gửi thử của đăng ký này vẫn đang được gửi',
      });
    const at = new Date();
    const event = testEvent(subscription, at);
    const delivery = newDelivery(subscription._id, event, JSON.stringify(event), at);
    await enqueueDeliveries(deliveries, [delivery]);
    options.onEnqueued?.();
    noStore(response);
    response
      .status(202)
      .location(`/v1/subscriptions/${subscription._id}/deliveries`)
      .json(deliveryJson(delivery));
  });

  router.get('/v1/subscriptions/:id/deliveries', async (request, response) => {
    const actor = callerOf(request);
    const subscription = await findVisible(actor, String(request.params.id));
    const query = request.query as Record<string, unknown>;
    const { size, after } = pageOf(query);
    const status = query.status;
    if (status !== undefined && !deliveryStatuses.includes(status as DeliveryStatus))
      throw invalidArgument([
        violation(
          'query.status',
          'invalid',
          `status is one of ${deliveryStatuses.join(', ')}`,
          `status là một trong ${deliveryStatuses.join(', ')}`,
        ),
      ]);
    const found = await deliveries
      .find(
        {
          subscription_id: subscription._id,
          ...(status ? { status: status as DeliveryStatus } : {}),
          ...(after ? { _id: { $lt: after } } : {}),
        },
        { body: 0 },
        { sort: { _id: -1 }, limit: size + 1 },
      )
      .lean();
    const page = found.slice(0, size);
    noStore(response);
    response.json({
      deliveries: page.map(deliveryJson),
      next_page_token: found.length > size ? encodePageToken((page.at(-1) as DeliveryDocument)._id) : '',
    });
  });

  return router;
}
