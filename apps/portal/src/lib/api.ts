import { createApiClient, type Problem as DocumentProblem } from '@lienket/api-client';
import type { Lang } from './i18n';

/** An RFC 9457 problem as the gateway sends it (any field but the status may be missing). */
export type Problem = Partial<DocumentProblem> & { status: number };

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status() {
    return this.problem.status;
  }
}

let currentToken: string | undefined;
let onUnauthenticated: (() => void) | undefined;

/** The token every call carries, and what to do when the gateway refuses it. */
export function setApiToken(token: string | undefined, unauthenticated: () => void): void {
  currentToken = token;
  onUnauthenticated = unauthenticated;
}

export const authHeader = (): Record<string, string> =>
  currentToken ? { authorization: `Bearer ${currentToken}` } : {};

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

/** `a=1&b=x&b=y`, leaving out empty values. */
export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const item of value) params.append(name, item);
    else params.append(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The gateway's API, typed by its OpenAPI document (@lienket/api-client): a path, parameter or body the document
 * does not have does not compile. Every call carries the current token.
 */
export const client = createApiClient({
  token: () => currentToken,
  headers: { accept: 'application/json, application/problem+json' },
  // Empty values are left out, as from every link of the portal (`?text=` means no text).
  querySerializer: (query) => queryString(query as Query).slice(1),
});
client.use({
  onResponse({ response }) {
    if (response.status === 401 && currentToken) onUnauthenticated?.();
  },
});

/** The body of a call's answer; a problem answer throws ApiError. */
export async function answer<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    const problem =
      error && typeof error === 'object'
        ? (error as Partial<Problem>)
        : { detail: String(error ?? response.statusText).slice(0, 200) };
    throw new ApiError({ ...problem, status: response.status });
  }
  return data as T;
}

/** The problem's message in the current language. */
export function problemMessage(error: unknown, lang: Lang): string {
  if (error instanceof ApiError) {
    const { problem } = error;
    return (lang === 'vi' ? problem.detail_vi : problem.detail) ?? problem.detail ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Field errors of a problem keyed by the form field they belong to: a violation on `need.quantityPerMonth.value`
 * or `body.hsCodes[0]` goes to the field whose name is one of its path segments (others go under ''). Where the
 * message names the field by its path, the field's label stands in for it.
 */
export function fieldErrors(
  error: unknown,
  lang: Lang,
  fields: readonly string[],
  labels: Partial<Record<string, string>> = {},
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!(error instanceof ApiError)) return out;
  for (const violation of error.problem.errors ?? []) {
    const segments = (violation.field ?? '').split('.').map((s) => s.replace(/\[\d+\]$/, ''));
    const field = fields.find((name) => segments.includes(name)) ?? '';
    let text = (lang === 'vi' ? violation.message_vi : violation.message) ?? violation.message ?? '';
    const label = labels[field];
    if (label && violation.field) text = text.split(violation.field).join(`“${label}”`);
    out[field] = [...(out[field] ?? []), text];
  }
  return out;
}
