import {
  checkTarget,
  embeddedIpv4,
  ipv6Bytes,
  isTargetProblem,
  literalHostProblem,
  nonPublicReason,
  parseTargetUrl,
  type Resolver,
} from './address';

const reasonOf = async (url: string, resolve?: Resolver) => {
  const result = await checkTarget(url, { allowPrivate: false, ...(resolve ? { resolve } : {}) });
  return isTargetProblem(result) ? result.reason : 'ok';
};
const noDns: Resolver = async (host) => {
  throw new Error(`no DNS in unit tests (${host})`);
};

describe('nonPublicReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['192.0.2.10', 'documentation'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'unique local (private)'],
    ['fc00::1', 'unique local (private)'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::7f00:1', 'IPv4-compatible (deprecated)'],
    ['100::1', 'discard-only'],
    ['4000::1', 'reserved'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(nonPublicReason(address)).toBe(reason);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:0:192.168.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:c0a8:0101::', 'private'],
  ])('judges %s by the IPv4 address inside it (%s)', (address, reason) => {
    expect(nonPublicReason(address)).toBe(
      `${reason} (IPv4 ${embeddedIpv4(ipv6Bytes(address) as Uint8Array)} inside IPv6)`,
    );
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '11.0.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('accepts the public address %s', (address) => {
    expect(nonPublicReason(address)).toBeUndefined();
  });

  it('refuses what is not an IP address', () => {
    expect(nonPublicReason('example.com')).toBe('not an IP address');
  });
});

describe('ipv6Bytes', () => {
  it('expands compressed forms and embedded dotted quads', () => {
    expect(Array.from(ipv6Bytes('::1') as Uint8Array)).toEqual([...new Array(15).fill(0), 1]);
    expect(Array.from(ipv6Bytes('[::ffff:1.2.3.4]') as Uint8Array)).toEqual([
      ...new Array(10).fill(0),
      0xff,
      0xff,
      1,
      2,
      3,
      4,
    ]);
    expect(Array.from(ipv6Bytes('2001:db8::ff00:42:8329') as Uint8Array)).toEqual([
      0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29,
    ]);
    expect(ipv6Bytes('1.2.3.4')).toBeUndefined();
  });
});

describe('parseTargetUrl', () => {
  it.each([
    ['', 'required'],
    ['ftp://example.com/x', 'unsupported_scheme'],
    ['javascript:alert(1)', 'unsupported_scheme'],
    ['file:///etc/passwd', 'unsupported_scheme'],
    ['https://user:pass@example.com/hook', 'credentials_in_url'],
    ['https://user@example.com/hook', 'credentials_in_url'],
    ['not a url', 'invalid_url'],
    [`https://example.com/${'a'.repeat(2000)}`, 'too_long'],
  ])('refuses %s (%s)', (url, reason) => {
    const result = parseTargetUrl(url);
    expect(isTargetProblem(result) ? result.reason : 'ok').toBe(reason);
  });

  it('accepts http and https URLs up to 2000 characters', () => {
    const long = `https://example.com/${'a'.repeat(2000 - 'https://example.com/'.length)}`;
    expect(long).toHaveLength(2000);
    expect(parseTargetUrl(long)).toBeInstanceOf(URL);
    expect(parseTargetUrl('http://example.com:8080/hook?x=1')).toBeInstanceOf(URL);
  });
});

describe('checkTarget', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f.0.0.1/',
    'http://127.0.0.1./',
    'http://0177.0.0.1/',
    'http://①②⑦.0.0.1/',
    'http://10.0.0.5/hook',
    'http://192.168.1.20/',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.100.100.200/',
    'http://0.0.0.0:9000/',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:a00:1]/',
    'http://[fe80::1]/',
    'http://[fd00::1]/',
    'http://localhost:3000/hook',
    'http://LOCALHOST./',
    'http://api.localhost/',
  ])('refuses the literal non-public target %s without asking DNS', async (url) => {
    expect(await reasonOf(url, noDns)).toBe('non_public_target');
  });

  it('accepts public literal addresses without asking DNS', async () => {
    expect(await reasonOf('https://93.184.215.14/hook', noDns)).toBe('ok');
    expect(await reasonOf('https://[2606:4700:4700::1111]/hook', noDns)).toBe('ok');
  });

  it('refuses a name when any address it resolves to is not public', async () => {
    const resolve: Resolver = async (host) =>
      ({ 'good.example': ['93.184.215.14'], 'mixed.example': ['93.184.215.14', '10.0.0.1'] })[host] ?? [];
    expect(await reasonOf('https://good.example/hook', resolve)).toBe('ok');
    expect(await reasonOf('https://mixed.example/hook', resolve)).toBe('non_public_target');
    expect(await reasonOf('https://rebind.example/hook', async () => ['::ffff:127.0.0.1'])).toBe(
      'non_public_target',
    );
    expect(await reasonOf('https://none.example/hook', resolve)).toBe('unresolvable_host');
    const missing: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(await reasonOf('https://missing.example/hook', missing)).toBe('unresolvable_host');
  });

  it('lets everything through when private targets are allowed, but keeps the syntax rules', async () => {
    expect(await checkTarget('http://127.0.0.1:1/x', { allowPrivate: true, resolve: noDns })).toBeInstanceOf(
      URL,
    );
    const refused = await checkTarget('http://u:p@127.0.0.1/', { allowPrivate: true, resolve: noDns });
    expect(isTargetProblem(refused) && refused.reason).toBe('credentials_in_url');
  });

  it('names the offending address in the literal check', () => {
    const problem = literalHostProblem(new URL('http://[::ffff:127.0.0.1]/'));
    expect(problem?.description).toMatch(/loopback/);
    expect(literalHostProblem(new URL('https://example.com/'))).toBeUndefined();
  });
});
