import type { Problem as DocumentProblem, Schemas } from '@lienket/api-client';

/** RFC 9457 problem details as the gateway writes them (English and Vietnamese); any field may be missing. */
export type Problem = Partial<DocumentProblem>;

/** A CloudEvent in JSON (structured mode), as the stream delivers it. */
export interface CloudEventJson {
  specversion?: string;
  id?: string;
  type?: string;
  source?: string;
  subject?: string;
  time?: string;
  data?: unknown;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `PROPOSAL_STATUS_ACCEPTED_BY_ONE` → `accepted_by_one` (and lower-case names stay as they are). */
export function statusName(value: unknown): string {
  if (typeof value !== 'string' || value === '') return 'unspecified';
  return value.replace(/^PROPOSAL_STATUS_/, '').toLowerCase();
}

const quote = (value: string) => {
  const short = value.length > 60 ? `${value.slice(0, 59)}…` : value;
  return /[\s"=]/.test(short) || short === '' ? JSON.stringify(short) : short;
};

const ID_KEY = /^(.*)Id$/;
const WORTH_SHOWING = new Set([
  'title',
  'name',
  'status',
  'side',
  'reason',
  'action',
  'change',
  'category',
  'score',
  'waitingOn',
  'abandonedBy',
]);

/**
 * The few facts of a payload that tell people what happened: ids (labelled by what they name),
 * provinces, and words such as title, status, reason, score. Looks one level into objects
 * (`{ need: { id, title } }` gives `need=… title=…`).
 */
export function payloadFacts(data: unknown, limit = 8): [string, string][] {
  const facts: [string, string][] = [];
  const seen = new Set<string>();
  const add = (label: string, value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    const text =
      typeof value === 'number'
        ? Number.isInteger(value)
          ? String(value)
          : value.toFixed(2)
        : typeof value === 'string' || typeof value === 'boolean'
          ? String(value)
          : undefined;
    if (text === undefined) return;
    const key = `${label}=${text}`;
    if (seen.has(key)) return;
    seen.add(key);
    facts.push([label, text]);
  };
  const visit = (record: Json, owner: string | undefined) => {
    for (const [key, value] of Object.entries(record)) {
      if (key === 'id' && owner) add(owner, value);
      else if (ID_KEY.test(key) && typeof value === 'string') add(key.replace(ID_KEY, '$1'), value);
    }
    for (const [key, value] of Object.entries(record)) {
      if (/province$/i.test(key)) add(key, isObject(value) ? value.code : value);
      else if (key === 'status') add(key, statusName(value));
      else if (WORTH_SHOWING.has(key)) add(key, value);
    }
  };
  if (!isObject(data)) return facts;
  visit(data, undefined);
  for (const [key, value] of Object.entries(data))
    if (isObject(value)) visit(value, key === 'facts' ? undefined : key);
  return facts.slice(0, limit);
}

/** `vn.lienket.registry.need.posted.v1` → `registry.need.posted.v1`. */
export const shortType = (type: string) => type.replace(/^vn\.lienket\./, '');

/** `2026-03-04T05:06:07.123Z` → `2026-03-04T05:06:07Z`; anything else as it is. */
export function shortTime(time: string | undefined): string {
  if (!time) return '-';
  const at = new Date(time);
  return Number.isNaN(at.getTime()) ? time : at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One readable line per event: time, type, and what it is about. */
export function formatEventLine(event: CloudEventJson, fallbackType = 'message'): string {
  const type = shortType(event.type ?? fallbackType);
  const facts = payloadFacts(event.data).map(([k, v]) => `${k}=${quote(v)}`);
  if (facts.length === 0 && event.subject) facts.push(`subject=${quote(event.subject)}`);
  return [shortTime(event.time), type, facts.join(' ')].filter(Boolean).join('  ');
}

/** What the table shows of a proposal. */
export type ProposalRow = Pick<
  Schemas['lienket.matchmaking.v1.Proposal'],
  'id' | 'status' | 'score' | 'reason'
>;

/** The caller's proposals as an aligned table: id, status, score, reason. */
export function formatProposalsTable(proposals: readonly ProposalRow[]): string {
  if (proposals.length === 0) return 'No proposals.\n';
  const rows = proposals.map((p) => [
    p.id ?? '',
    statusName(p.status),
    (typeof p.score === 'number' ? p.score : 0).toFixed(2),
    (p.reason ?? '').replace(/\s+/g, ' ').trim(),
  ]);
  const header = ['ID', 'STATUS', 'SCORE', 'REASON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === 2 ? cell.padStart(widths[i] ?? 0) : i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** A problem for people: the detail, the Vietnamese detail, each field error, the status and request id. */
export function formatProblem(problem: Problem, fallbackStatus?: number): string {
  const lines: string[] = [];
  const detail = problem.detail || problem.title || `HTTP ${problem.status ?? fallbackStatus ?? '?'}`;
  lines.push(`error: ${detail}`);
  if (problem.detail_vi && problem.detail_vi !== detail) lines.push(`       ${problem.detail_vi}`);
  for (const e of problem.errors ?? []) {
    lines.push(`  - ${e.field ?? '?'}: ${e.message ?? e.reason ?? ''}`.trimEnd());
    if (e.message_vi && e.message_vi !== e.message)
      lines.push(`    ${' '.repeat((e.field ?? '?').length)}  ${e.message_vi}`);
  }
  const status = problem.status ?? fallbackStatus;
  const tail = [
    status ? `HTTP ${status}` : undefined,
    problem.code,
    problem.request_id ? `request ${problem.request_id}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  if (tail) lines.push(`       (${tail})`);
  return `${lines.join('\n')}\n`;
}
