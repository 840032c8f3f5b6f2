import { parseArgs } from 'node:util';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** Filters of the event stream, each a list (sent comma-separated). */
export interface StreamFilter {
  type: string[];
  province: string[];
  region: string[];
  sector: string[];
}

export type Command =
  | { name: 'help'; topic?: string }
  | { name: 'tail'; filter: StreamFilter; since?: string; json: boolean }
  | { name: 'post'; kind: 'need' | 'capability'; file: string }
  | { name: 'proposals'; status: string[] }
  | { name: 'accept'; proposalId: string }
  | { name: 'decline'; proposalId: string; reason: string };

export interface Invocation {
  command: Command;
  /** The gateway's base URL, without a trailing slash. */
  url: string;
  token?: string;
}

/** A mistake on the command line: printed with the usage, exit status 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `lienket: LienKet from the terminal

Usage:
  lienket tail [--type <prefix>] [--province <code>] [--region <code>] [--sector <prefix>]
               [--since <RFC 3339 time>] [--json]
      Follow the live event stream: one line per event (or the CloudEvent JSON with --json).
      Filters may repeat or take comma-separated values. Reconnects by itself, resuming after
      the last event seen. Ctrl-C to stop.
  lienket post need <file.json | ->
  lienket post capability <file.json | ->
      Post a need or a capability (the API's NeedInput / CapabilityInput JSON, from a file or
      standard input) and print the id it was given.
  lienket proposals [--status <status>]...
      Your proposals as a table: id, status, score, reason. Statuses: proposed,
      accepted_by_one, established, declined, expired, retracted.
  lienket accept <proposalId>
  lienket decline <proposalId> --reason "<why>"
  lienket help [command]

Options for every command:
  --token <jwt>   Bearer token (default: $LIENKET_TOKEN)
  --url <url>     The gateway (default: $LIENKET_URL, else ${DEFAULT_URL})
  -h, --help      This help

Exit status: 0 done, 1 the API or the network refused, 2 a usage mistake.
`;

const options = {
  token: { type: 'string' },
  url: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  type: { type: 'string', multiple: true },
  province: { type: 'string', multiple: true },
  region: { type: 'string', multiple: true },
  sector: { type: 'string', multiple: true },
  since: { type: 'string' },
  json: { type: 'boolean' },
  status: { type: 'string', multiple: true },
  reason: { type: 'string' },
} as const;

type OptionName = keyof typeof options;
const common: OptionName[] = ['token', 'url', 'help'];
const allowed: Record<string, OptionName[]> = {
  help: [],
  tail: ['type', 'province', 'region', 'sector', 'since', 'json'],
  post: [],
  proposals: ['status'],
  accept: [],
  decline: ['reason'],
};
export const commandNames = Object.keys(allowed);

/** Comma-separated or repeated values, trimmed, without empties. */
const listOf = (values: readonly string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function exactly(positionals: string[], count: number, command: string, what: string): void {
  if (positionals.length < count) throw new UsageError(`${command}: missing ${what}`, command);
  if (positionals.length > count)
    throw new UsageError(`${command}: unexpected argument "${positionals[count]}"`, command);
}

/** Reads the command line (without `node` and the script) and the environment. */
export function parseCommandLine(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Invocation {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  const urlText = (values.url ?? env.LIENKET_URL ?? DEFAULT_URL).trim() || DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new UsageError(`not a URL: ${urlText}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`not an http(s) URL: ${urlText}`);
  const token = values.token ?? (env.LIENKET_TOKEN?.trim() || undefined);
  const base = { url: url.href.replace(/\/+$/, ''), ...(token ? { token } : {}) };

  if (values.help || name === undefined)
    return { ...base, command: { name: 'help', ...(name ? { topic: name } : {}) } };
  if (!(name in allowed)) throw new UsageError(`unknown command "${name}"`);
  const permitted = new Set<string>([...common, ...(allowed[name] ?? [])]);
  for (const given of Object.keys(values))
    if (!permitted.has(given)) throw new UsageError(`${name}: --${given} is not an option of ${name}`, name);

  switch (name) {
    case 'help':
      if (rest.length > 1) throw new UsageError(`help: unexpected argument "${rest[1]}"`, 'help');
      return { ...base, command: { name: 'help', ...(rest[0] ? { topic: rest[0] } : {}) } };
    case 'tail': {
      if (rest.length > 0) throw new UsageError(`tail: unexpected argument "${rest[0]}"`, 'tail');
      const since = values.since?.trim();
      if (since !== undefined && (!RFC3339.test(since) || Number.isNaN(Date.parse(since))))
        throw new UsageError(
          `tail: --since wants an RFC 3339 time such as 2026-01-31T08:00:00Z, not "${since}"`,
          'tail',
        );
      return {
        ...base,
        command: {
          name: 'tail',
          filter: {
            type: listOf(values.type),
            province: listOf(values.province),
            region: listOf(values.region),
            sector: listOf(values.sector),
          },
          ...(since ? { since } : {}),
          json: values.json === true,
        },
      };
    }
    case 'post': {
      const [kind, ...files] = rest;
      if (kind !== 'need' && kind !== 'capability')
        throw new UsageError(
          kind === undefined
            ? 'post: say what to post: need or capability'
            : `post: cannot post "${kind}" (need or capability)`,
          'post',
        );
      exactly(files, 1, `post ${kind}`, 'the JSON file (or - for standard input)');
      return { ...base, command: { name: 'post', kind, file: files[0] as string } };
    }
    case 'proposals':
      if (rest.length > 0) throw new UsageError(`proposals: unexpected argument "${rest[0]}"`, 'proposals');
      return {
        ...base,
        command: { name: 'proposals', status: listOf(values.status).map((s) => s.toLowerCase()) },
      };
    case 'accept':
      exactly(rest, 1, 'accept', 'the proposal id');
      return { ...base, command: { name: 'accept', proposalId: rest[0] as string } };
    default: {
      exactly(rest, 1, 'decline', 'the proposal id');
      const reason = values.reason?.trim();
      if (!reason) throw new UsageError('decline: say why with --reason "…"', 'decline');
      return { ...base, command: { name: 'decline', proposalId: rest[0] as string, reason } };
    }
  }
}
