import { DEFAULT_URL, parseCommandLine, UsageError } from './args';

const parse = (line: string[], env: Record<string, string | undefined> = {}) => parseCommandLine(line, env);
const usage = (line: string[]) => {
  try {
    parse(line);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`no usage error for ${line.join(' ')}`);
};

describe('lienket command line', () => {
  it('defaults the URL and reads LIENKET_URL and LIENKET_TOKEN; flags win', () => {
    expect(parse(['proposals'])).toEqual({ url: DEFAULT_URL, command: { name: 'proposals', status: [] } });
    expect(
      parse(['proposals'], { LIENKET_URL: 'https://api.lienket.vn/', LIENKET_TOKEN: 'env-token' }),
    ).toEqual({
      url: 'https://api.lienket.vn',
      token: 'env-token',
      command: { name: 'proposals', status: [] },
    });
    expect(
      parse(['proposals', '--token', 'flag', '--url', 'http://gw:9000/base/'], {
        LIENKET_URL: 'https://x',
        LIENKET_TOKEN: 'env',
      }),
    ).toMatchObject({ url: 'http://gw:9000/base', token: 'flag' });
    expect(parse(['proposals'], { LIENKET_TOKEN: '  ' })).not.toHaveProperty('token');
  });

  it('tail: repeated and comma-separated filters, since, json', () => {
    expect(
      parse([
        'tail',
        '--type',
        'vn.lienket.matchmaking.',
        '--province',
        '01,79',
        '--province',
        '48',
        '--region',
        'red_river_delta',
        '--sector',
        '2410',
        '--since',
        '2026-01-31T08:00:00+07:00',
        '--json',
      ]).command,
    ).toEqual({
      name: 'tail',
      filter: {
        type: ['vn.lienket.matchmaking.'],
        province: ['01', '79', '48'],
        region: ['red_river_delta'],
        sector: ['2410'],
      },
      since: '2026-01-31T08:00:00+07:00',
      json: true,
    });
    expect(parse(['tail']).command).toEqual({
      name: 'tail',
      filter: { type: [], province: [], region: [], sector: [] },
      json: false,
    });
  });

  it('tail: refuses a since that is not RFC 3339', () => {
    expect(usage(['tail', '--since', 'yesterday'])).toMatch(/--since wants an RFC 3339 time/);
    expect(usage(['tail', '--since', '2026-01-31'])).toMatch(/RFC 3339/);
    expect(usage(['tail', '--since', '2026-02-31T25:00:00Z'])).toMatch(/RFC 3339/);
  });

  it('post need|capability <file|->', () => {
    expect(parse(['post', 'need', 'need.json']).command).toEqual({
      name: 'post',
      kind: 'need',
      file: 'need.json',
    });
    expect(parse(['post', 'capability', '-']).command).toEqual({
      name: 'post',
      kind: 'capability',
      file: '-',
    });
    expect(usage(['post'])).toMatch(/need or capability/);
    expect(usage(['post', 'offer', 'x.json'])).toMatch(/cannot post "offer"/);
    expect(usage(['post', 'need'])).toMatch(/missing the JSON file/);
    expect(usage(['post', 'need', 'a.json', 'b.json'])).toMatch(/unexpected argument "b.json"/);
  });

  it('proposals, accept, decline', () => {
    expect(
      parse(['proposals', '--status', 'proposed,ACCEPTED_BY_ONE', '--status', 'established']).command,
    ).toEqual({
      name: 'proposals',
      status: ['proposed', 'accepted_by_one', 'established'],
    });
    expect(parse(['accept', 'p-1']).command).toEqual({ name: 'accept', proposalId: 'p-1' });
    expect(parse(['decline', 'p-1', '--reason', ' too far away ']).command).toEqual({
      name: 'decline',
      proposalId: 'p-1',
      reason: 'too far away',
    });
    expect(usage(['accept'])).toMatch(/missing the proposal id/);
    expect(usage(['decline', 'p-1'])).toMatch(/--reason/);
    expect(usage(['decline', 'p-1', '--reason', '  '])).toMatch(/--reason/);
  });

  it('help: no command, help, -h, --help anywhere', () => {
    expect(parse([]).command).toEqual({ name: 'help' });
    expect(parse(['help']).command).toEqual({ name: 'help' });
    expect(parse(['help', 'tail']).command).toEqual({ name: 'help', topic: 'tail' });
    expect(parse(['-h']).command).toEqual({ name: 'help' });
    expect(parse(['decline', '--help']).command).toEqual({ name: 'help', topic: 'decline' });
  });

  it('usage errors: unknown commands and options, options of another command, bad URLs', () => {
    expect(usage(['frobnicate'])).toBe('unknown command "frobnicate"');
    expect(usage(['tail', '--colour'])).toMatch(/Unknown option '--colour'/);
    expect(usage(['tail', '--reason', 'x'])).toBe('tail: --reason is not an option of tail');
    expect(usage(['proposals', '--json'])).toBe('proposals: --json is not an option of proposals');
    expect(usage(['tail', '--type'])).toMatch(/--type/);
    expect(usage(['tail', 'extra'])).toMatch(/unexpected argument "extra"/);
    expect(() => parse(['proposals'], { LIENKET_URL: 'not a url' })).toThrow(UsageError);
    expect(() => parse(['proposals', '--url', 'ftp://gw'])).toThrow(/not an http\(s\) URL/);
  });
});
