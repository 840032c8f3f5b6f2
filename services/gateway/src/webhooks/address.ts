import { promises as dns, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Which webhook targets the gateway may call. A subscription names any URL, and the gateway then
 * POSTs to it from inside the platform's network, so a target on a loopback, private, link-local,
 * CGNAT, multicast, reserved or otherwise non-public address is refused (SSRF), both as a literal
 * host and as what the host name resolves to: when the subscription is made and again on every
 * delivery, where the connection goes only to the addresses just checked (DNS rebinding).
 */

export const MAX_TARGET_URL_LENGTH = 2000;

type Range = readonly [address: string, prefix: number, label: string];

/** IPv4 ranges that are not globally reachable unicast (IANA special-purpose registry, RFC 6890). */
const ipv4Ranges: readonly Range[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignment'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

/**
 * IPv6 ranges refused outright. Everything outside 2000::/3 (global unicast) is refused as well;
 * addresses that carry an IPv4 address (mapped, translated, NAT64, 6to4) are judged by that address.
 */
const ipv6Ranges: readonly Range[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'IPv4-compatible (deprecated)'],
  ['64:ff9b:1::', 48, 'local-use NAT64'],
  ['100::', 64, 'discard-only'],
  ['2001::', 23, 'IETF protocol assignment'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  ['5f00::', 16, 'segment routing'],
  ['fc00::', 7, 'unique local (private)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local (deprecated)'],
  ['ff00::', 8, 'multicast'],
];

const listOf = (ranges: readonly Range[], family: 'ipv4' | 'ipv6') =>
  ranges.map(([address, prefix, label]) => {
    const list = new BlockList();
    list.addSubnet(address, prefix, family);
    return { list, label };
  });

const ipv4Lists = listOf(ipv4Ranges, 'ipv4');
const ipv6Lists = listOf(ipv6Ranges, 'ipv6');
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');

/** The 16 bytes of an IPv6 address (with or without an embedded dotted quad), or undefined. */
export function ipv6Bytes(address: string): Uint8Array | undefined {
  const plain = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(plain) !== 6) return undefined;
  let text = plain;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const parts = (quad[1] as string).split('.').map(Number);
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    text = `${text.slice(0, quad.index)}${hex(parts[0] as number, parts[1] as number)}:${hex(parts[2] as number, parts[3] as number)}`;
  }
  const [head = '', tail] = text.split('::') as [string, string | undefined];
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  all.forEach((group, index) => {
    const value = Number.parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  return bytes;
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((b, i) => bytes[i] === b);
const quadAt = (bytes: Uint8Array, offset: number) => Array.from(bytes.slice(offset, offset + 4)).join('.');

/** The IPv4 address an IPv6 address stands for (mapped, translated, NAT64 well-known prefix, 6to4). */
export function embeddedIpv4(bytes: Uint8Array): string | undefined {
  const zeros = (n: number) => new Array<number>(n).fill(0);
  if (startsWith(bytes, [...zeros(10), 0xff, 0xff])) return quadAt(bytes, 12); // ::ffff:a.b.c.d
  if (startsWith(bytes, [...zeros(8), 0xff, 0xff, 0, 0])) return quadAt(bytes, 12); // ::ffff:0:a.b.c.d
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, ...zeros(8)])) return quadAt(bytes, 12); // 64:ff9b::/96
  if (startsWith(bytes, [0x20, 0x02])) return quadAt(bytes, 2); // 2002:AABB:CCDD::/48
  return undefined;
}

/**
 * Why an IP address is not a public unicast address ("loopback", "private", …), or undefined when
 * it is one. Anything that is not an IP address at all is refused too.
 */
export function nonPublicReason(address: string): string | undefined {
  const plain = address.replace(/^\[|\]$/g, '');
  const family = isIP(plain.replace(/%.*$/, ''));
  if (family === 4) return ipv4Lists.find(({ list }) => list.check(plain, 'ipv4'))?.label;
  if (family !== 6) return 'not an IP address';
  const bytes = ipv6Bytes(plain) as Uint8Array;
  const v4 = embeddedIpv4(bytes);
  if (v4 !== undefined) {
    const reason = nonPublicReason(v4);
    return reason === undefined ? undefined : `${reason} (IPv4 ${v4} inside IPv6)`;
  }
  const canonical = plain.replace(/%.*$/, '');
  const listed = ipv6Lists.find(({ list }) => list.check(canonical, 'ipv6'))?.label;
  if (listed) return listed;
  return globalUnicast.check(canonical, 'ipv6') ? undefined : 'reserved';
}

/** Host names that always mean this machine, whatever DNS says. */
const localNames = /(^|\.)(localhost|localhost\.localdomain|ip6-localhost|ip6-loopback)\.?$/i;

export type TargetProblem = { reason: string; description: string; descriptionVi: string };

const problem = (reason: string, description: string, descriptionVi: string): TargetProblem => ({
  reason,
  description,
  descriptionVi,
});

export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) =>
  (await dns.lookup(host, { all: true, verbatim: true } as LookupAllOptions)).map(
    (entry: LookupAddress) => entry.address,
  );

export interface TargetCheckOptions {
  allowPrivate: boolean;
  /** Resolves a host name to addresses (defaults to the system resolver, as the delivery uses). */
  resolve?: Resolver;
}

/** The syntactic rules: http(s), a host, no credentials, at most 2000 characters. */
export function parseTargetUrl(input: unknown): URL | TargetProblem {
  if (typeof input !== 'string' || input.trim() === '')
    return problem('required', 'An http(s) URL is required', 'Cần một URL http(s)');
  if (input.length > MAX_TARGET_URL_LENGTH)
    return problem(
      'too_long',
      `At most ${MAX_TARGET_URL_LENGTH} characters`,
      `Tối đa ${MAX_TARGET_URL_LENGTH} ký tự`,
    );
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return problem('invalid_url', 'Not a valid URL', 'URL không hợp lệ');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return problem('unsupported_scheme', 'Only http and https URLs', 'Chỉ nhận URL http hoặc https');
  if (url.username !== '' || url.password !== '')
    return problem(
      'credentials_in_url',
      'The URL must not carry a user name or password (use the signature to authenticate us)',
      'URL không được chứa tên người dùng hoặc mật khẩu',
    );
  if (url.hostname === '') return problem('invalid_url', 'The URL has no host', 'URL không có máy chủ');
  if (url.href.length > MAX_TARGET_URL_LENGTH)
    return problem(
      'too_long',
      `At most ${MAX_TARGET_URL_LENGTH} characters`,
      `Tối đa ${MAX_TARGET_URL_LENGTH} ký tự`,
    );
  return url;
}

const isProblem = (value: unknown): value is TargetProblem =>
  typeof value === 'object' && value !== null && 'reason' in value;

/** The literal host of a URL: refused when it is a non-public IP address or a name for this machine. */
export function literalHostProblem(url: URL): TargetProblem | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (localNames.test(host))
    return problem(
      'non_public_target',
      `The host ${host} is this machine`,
      `Máy chủ ${host} là chính máy này`,
    );
  if (isIP(host) === 0) return undefined;
  const reason = nonPublicReason(host);
  return reason === undefined
    ? undefined
    : problem(
        'non_public_target',
        `The address ${host} is not public (${reason})`,
        `Địa chỉ ${host} không phải địa chỉ công khai (${reason})`,
      );
}

/** Every address a host resolves to must be public; undefined when they are. */
export function resolvedAddressesProblem(
  host: string,
  addresses: readonly string[],
): TargetProblem | undefined {
  if (addresses.length === 0)
    return problem('unresolvable_host', `${host} resolves to no address`, `${host} không phân giải được`);
  for (const address of addresses) {
    const reason = nonPublicReason(address);
    if (reason !== undefined)
      return problem(
        'non_public_target',
        `${host} resolves to ${address}, which is not public (${reason})`,
        `${host} phân giải thành ${address}, không phải địa chỉ công khai (${reason})`,
      );
  }
  return undefined;
}

/**
 * Checks a webhook target: the syntax always; unless private targets are allowed, the literal host
 * and every address its name resolves to. Returns the normalised URL or the problem found.
 */
export async function checkTarget(input: unknown, options: TargetCheckOptions): Promise<URL | TargetProblem> {
  const url = parseTargetUrl(input);
  if (isProblem(url) || options.allowPrivate) return url;
  const literal = literalHostProblem(url);
  if (literal) return literal;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return url;
  let addresses: string[];
  try {
    addresses = await (options.resolve ?? systemResolver)(host);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA')
      return problem('unresolvable_host', `${host} does not resolve`, `${host} không phân giải được`);
    throw error;
  }
  return resolvedAddressesProblem(host, addresses) ?? url;
}

export const isTargetProblem = isProblem;
