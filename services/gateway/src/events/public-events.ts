import { Topics } from '@lienket/contracts';
import { fromKafkaMessage } from '@lienket/eventbus';
import { AppError, type FieldViolation, invalidArgument } from '@lienket/platform';
import { regionOf, regions } from '@lienket/reference';
import type { IHeaders } from 'kafkajs';

/** Every topic whose events are public (streams and webhooks): all but test probes and dead letters. */
// Identity's topics (memberships, delegations) are for LienKet's services, not the public stream;
// so are the programme's until insights has rules for them (services/programme/README.md, "Not yet").
export const publicTopics: readonly string[] = Object.values(Topics).filter(
  (t) => !/^lienket\.(testing|identity|programme)\./.test(t),
);

/** A public event as CloudEvents 1.0 JSON (structured mode), with the protobuf payload rendered to JSON. */
export interface PublicEvent {
  specversion: '1.0';
  id: string;
  type: string;
  source: string;
  subject?: string;
  time: string;
  datacontenttype: 'application/json';
  data: unknown;
}

/** What filters look at, gathered from the payload. */
export interface EventFacts {
  provinces: string[];
  regions: string[];
  /** VSIC and HS codes. */
  codes: string[];
}

export interface EventFilter {
  /** CloudEvents type prefixes, e.g. `vn.lienket.matchmaking.`. */
  types: string[];
  provinces: string[];
  regions: string[];
  /** VSIC or HS code prefixes. */
  sectors: string[];
}

const PROVINCE_KEY = /province$/i;
const CODES_KEY = /^(vsicCodes|hsCodes|primaryVsic)$/;

/** Provinces and codes anywhere in a payload (keys ending in "province", ProvinceRef codes, code lists). */
export function factsOf(data: unknown): EventFacts {
  const provinces = new Set<string>();
  const codes = new Set<string>();
  const walk = (value: unknown, key: string, depth: number) => {
    if (depth > 12 || value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, key, depth + 1);
      return;
    }
    if (typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (PROVINCE_KEY.test(key) && typeof record.code === 'string') provinces.add(record.code);
      for (const [k, v] of Object.entries(record)) walk(v, k, depth + 1);
      return;
    }
    if (typeof value !== 'string' || value === '') return;
    if (PROVINCE_KEY.test(key)) provinces.add(value);
    else if (CODES_KEY.test(key)) codes.add(value);
  };
  walk(data, '', 0);
  const regionSet = new Set([...provinces].flatMap((p) => regionOf(p) ?? []));
  return { provinces: [...provinces].sort(), regions: [...regionSet].sort(), codes: [...codes].sort() };
}

export function matches(filter: EventFilter, type: string, facts: EventFacts): boolean {
  if (filter.types.length > 0 && !filter.types.some((t) => type.startsWith(t))) return false;
  if (filter.provinces.length > 0 && !facts.provinces.some((p) => filter.provinces.includes(p))) return false;
  if (filter.regions.length > 0 && !facts.regions.some((r) => filter.regions.includes(r))) return false;
  if (filter.sectors.length > 0 && !facts.codes.some((c) => filter.sectors.some((s) => c.startsWith(s))))
    return false;
  return true;
}

const asList = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);

const knownRegions = new Set(regions.map((r) => r.code as string));

/** A filter from query parameters or a subscription body (`type`, `province`, `region`, `sector`); bad values are 400s. */
export function parseFilter(input: {
  type?: unknown;
  province?: unknown;
  region?: unknown;
  sector?: unknown;
}): EventFilter {
  const filter: EventFilter = {
    types: asList(input.type),
    provinces: asList(input.province),
    regions: asList(input.region),
    sectors: asList(input.sector),
  };
  const violations: FieldViolation[] = [];
  const bad = (field: string, value: string, description: string, descriptionVi: string) =>
    violations.push({
      field,
      reason: 'invalid_filter',
      description: `${description}: "${value}"`,
      descriptionVi: `${descriptionVi}: "${value}"`,
    });
  for (const t of filter.types)
    if (!/^[a-z0-9._]{1,100}$/.test(t))
      bad('type', t, 'A type prefix such as vn.lienket.matchmaking.', 'Tiền tố loại sự kiện');
  for (const p of filter.provinces)
    if (!/^[0-9]{2}$/.test(p)) bad('province', p, 'A two-digit province code', 'Mã tỉnh hai chữ số');
  for (const r of filter.regions) if (!knownRegions.has(r)) bad('region', r, 'A region code', 'Mã vùng');
  for (const s of filter.sectors)
    if (!/^[0-9]{2,8}$/.test(s)) bad('sector', s, 'A VSIC or HS code prefix', 'Tiền tố mã VSIC hoặc HS');
  if (Object.values(filter).some((list) => list.length > 50))
    violations.push({
      field: 'filter',
      reason: 'too_many',
      description: 'At most 50 values per filter',
      descriptionVi: 'Tối đa 50 giá trị mỗi bộ lọc',
    });
  if (violations.length > 0) throw invalidArgument(violations);
  return filter;
}

/** A Kafka message of a public topic as CloudEvents JSON and its facts; undefined for what is not a catalogued event. */
export function renderEvent(message: {
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}): { event: PublicEvent; facts: EventFacts } | undefined {
  let received: ReturnType<typeof fromKafkaMessage>;
  try {
    received = fromKafkaMessage(message);
  } catch {
    return undefined; // poison and unknown types go to dead letters, never to the public
  }
  const data = received.definition.codec.toJSON(received.payload);
  return {
    event: {
      specversion: '1.0',
      id: received.id,
      type: received.type,
      source: received.source,
      ...(received.subject ? { subject: received.subject } : {}),
      time: received.time.toISOString(),
      datacontenttype: 'application/json',
      data,
    },
    facts: factsOf(data),
  };
}

export const unknownTopic = (topic: string) =>
  new AppError('INVALID_ARGUMENT', `Unknown topic ${topic}`, { code: 'UNKNOWN_TOPIC' });
