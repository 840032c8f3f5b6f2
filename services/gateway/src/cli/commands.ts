import { type ApiClient, createApiClient, type operations, type Schemas } from '@lienket/api-client';
import { type Command, commandNames, type Invocation, parseCommandLine, USAGE, UsageError } from './args';
import {
  type CloudEventJson,
  formatEventLine,
  formatProblem,
  formatProposalsTable,
  type Problem,
  type ProposalRow,
  statusName,
} from './format';
import { describeError, followStream, StreamRefused } from './sse';

type NeedInput = Schemas['lienket.registry.v1.NeedInput'];
type CapabilityInput = Schemas['lienket.registry.v1.CapabilityInput'];
type ProposalStatus = NonNullable<
  NonNullable<operations['listProposals']['parameters']['query']>['status']
>[number];

/** Everything the CLI touches outside itself, so tests can stand in for it. */
export interface Io {
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => Promise<string>;
  readStdin: () => Promise<string>;
  /** Stops `tail` (Ctrl-C). */
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The API answered with a problem. */
export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    readonly status: number,
  ) {
    super(problem.detail ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

/** Anything else that stops a command: the network, an unreadable file. */
export class CliError extends Error {
  override name = 'CliError';
}

/** A problem from an error answer (as openapi-fetch read it), or one made up from an answer that is not a problem. */
export function problemOf(error: unknown, response: Response): Problem {
  if (error && typeof error === 'object' && ('detail' in error || 'title' in error)) return error as Problem;
  const text = typeof error === 'string' ? error : '';
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return {
    status: response.status,
    detail: `HTTP ${response.status} ${response.statusText}`.trim() + (snippet ? `: ${snippet}` : ''),
  };
}

const authHeaders = (invocation: Invocation): Record<string, string> =>
  invocation.token ? { authorization: `Bearer ${invocation.token}` } : {};

/** The typed client of the gateway (@lienket/api-client), through the CLI's fetch. */
const clientFor = (invocation: Invocation, io: Io): ApiClient =>
  createApiClient({
    baseUrl: invocation.url,
    ...(invocation.token ? { token: invocation.token } : {}),
    headers: { accept: 'application/json, application/problem+json' },
    fetch: (request) => io.fetch(request),
  });

/** The answer's body; a problem answer throws ApiError, no answer or one that is not JSON throws CliError. */
async function answerOf<T>(
  invocation: Invocation,
  what: string,
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T | undefined> {
  let answer: Awaited<typeof pending>;
  try {
    answer = await pending;
  } catch (error) {
    if (error instanceof SyntaxError) throw new CliError(`${what} answered something that is not JSON`);
    throw new CliError(`cannot reach ${invocation.url}: ${describeError(error)}`);
  }
  if (!answer.response.ok)
    throw new ApiError(problemOf(answer.error, answer.response), answer.response.status);
  return answer.data;
}

async function readJsonObject(file: string, io: Io): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : await io.readFile(file);
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file === '-' ? 'standard input' : file} is not JSON: ${(error as Error).message}`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new CliError(`${file === '-' ? 'standard input' : file} must hold one JSON object`);
  return body as Record<string, unknown>;
}

/** The stream URL for a tail: filters always, `since` only until there is an event id to resume after. */
export function streamUrl(
  invocation: Pick<Invocation, 'url'>,
  command: Extract<Command, { name: 'tail' }>,
  lastEventId?: string,
) {
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(command.filter))
    if (values.length > 0) query.set(name, values.join(','));
  if (command.since && !lastEventId) query.set('since', command.since);
  const search = query.toString();
  return `${invocation.url}/v1/events/stream${search ? `?${search}` : ''}`;
}

async function tail(
  invocation: Invocation,
  command: Extract<Command, { name: 'tail' }>,
  io: Io,
): Promise<number> {
  try {
    await followStream({
      urlFor: (lastEventId) => streamUrl(invocation, command, lastEventId),
      headers: authHeaders(invocation),
      fetch: io.fetch,
      ...(io.sleep ? { sleep: io.sleep } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
      onNotice: (message) => io.stderr(`lienket: ${message}\n`),
      onEvent: (event) => {
        let parsed: CloudEventJson | undefined;
        try {
          const value = JSON.parse(event.data) as unknown;
          if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value as CloudEventJson;
        } catch {
          parsed = undefined;
        }
        if (command.json)
          io.stdout(
            `${parsed ? JSON.stringify(parsed) : JSON.stringify({ type: event.event, data: event.data })}\n`,
          );
        else
          io.stdout(`${formatEventLine(parsed ?? { type: event.event, data: event.data }, event.event)}\n`);
      },
    });
  } catch (error) {
    if (error instanceof StreamRefused) {
      const type = error.response.headers.get('content-type') ?? '';
      if (error.response.ok && !type.startsWith('text/event-stream')) {
        await error.response.body?.cancel().catch(() => undefined);
        throw new CliError(
          `${invocation.url}/v1/events/stream is not an event stream (content type "${type}")`,
        );
      }
      const text = await error.response.text().catch(() => '');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: described by problemOf
      }
      throw new ApiError(problemOf(body, error.response), error.status);
    }
    throw new CliError(`event stream: ${describeError(error)}`);
  }
  return 0;
}

async function execute(invocation: Invocation, io: Io): Promise<number> {
  const { command } = invocation;
  switch (command.name) {
    case 'help':
      if (command.topic && command.topic !== 'help' && !commandNames.includes(command.topic))
        throw new UsageError(`help: unknown command "${command.topic}"`);
      io.stdout(USAGE);
      return 0;
    case 'tail':
      return tail(invocation, command, io);
    case 'post': {
      // The file is the user's: the gateway validates it and answers a problem the CLI prints.
      const body = await readJsonObject(command.file, io);
      const client = clientFor(invocation, io);
      const created =
        command.kind === 'need'
          ? (
              await answerOf(
                invocation,
                'POST /v1/needs',
                client.POST('/v1/needs', { body: body as NeedInput }),
              )
            )?.need
          : (
              await answerOf(
                invocation,
                'POST /v1/capabilities',
                client.POST('/v1/capabilities', { body: body as CapabilityInput }),
              )
            )?.capability;
      if (!created?.id) throw new CliError(`the API answered without a ${command.kind} id`);
      io.stdout(`${created.id}\n`);
      return 0;
    }
    case 'proposals': {
      const client = clientFor(invocation, io);
      // Statuses as typed; the gateway refuses an unknown one with a problem the CLI prints.
      const status = command.status as ProposalStatus[];
      const proposals: ProposalRow[] = [];
      let pageToken = '';
      for (let page = 0; page < 50; page += 1) {
        const answer = await answerOf(
          invocation,
          'GET /v1/proposals',
          client.GET('/v1/proposals', {
            params: { query: { status, page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) } },
          }),
        );
        proposals.push(...(answer?.proposals ?? []));
        pageToken = answer?.page?.nextPageToken ?? '';
        if (!pageToken) break;
      }
      io.stdout(formatProposalsTable(proposals));
      return 0;
    }
    case 'accept': {
      const answer = await answerOf(
        invocation,
        'POST acceptance',
        clientFor(invocation, io).POST('/v1/proposals/{proposalId}/acceptance', {
          params: { path: { proposalId: command.proposalId } },
        }),
      );
      const proposal = answer?.proposal ?? {};
      const status = statusName(proposal.status);
      const note =
        status === 'established'
          ? ' (both sides accepted: contacts released)'
          : status === 'accepted_by_one'
            ? ' (waiting for the other side)'
            : '';
      io.stdout(`${proposal.id ?? command.proposalId}: ${status}${note}\n`);
      return 0;
    }
    case 'decline': {
      const answer = await answerOf(
        invocation,
        'POST decline',
        clientFor(invocation, io).POST('/v1/proposals/{proposalId}/decline', {
          params: { path: { proposalId: command.proposalId } },
          body: { reason: command.reason },
        }),
      );
      const proposal = answer?.proposal ?? {};
      io.stdout(`${proposal.id ?? command.proposalId}: ${statusName(proposal.status)}\n`);
      return 0;
    }
  }
}

/** Runs one command line; resolves to the exit status (0 done, 1 refused or failed, 2 usage). */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let invocation: Invocation | undefined;
  try {
    invocation = parseCommandLine(argv, io.env);
    return await execute(invocation, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`lienket: ${error.message}\nRun "lienket help" for usage.\n`);
      return 2;
    }
    if (error instanceof ApiError) {
      io.stderr(formatProblem(error.problem, error.status));
      if (error.status === 401 && !invocation?.token)
        io.stderr('       Set LIENKET_TOKEN or pass --token <jwt>.\n');
      return 1;
    }
    io.stderr(`error: ${error instanceof CliError ? error.message : describeError(error)}\n`);
    return 1;
  }
}
