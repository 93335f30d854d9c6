import { BlockList, isIP } from 'node:net';

/**
 * Where outgoing webhooks may go (SSRF). Only http and https, and only to public addresses: never loopback,
 * link-local (cloud metadata at 169.254.169.254), private, shared (CGNAT), unique-local, multicast or
 * reserved ranges, whether named by literal address or reached through DNS. The caller checks the literal
 * here and every resolved address again at connect time, so a name that resolves elsewhere later (DNS
 * rebinding) is caught when it matters.
 */

const NON_PUBLIC_V4: readonly [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const NON_PUBLIC_V6: readonly [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
];

const NON_PUBLIC = new BlockList();
for (const [address, prefix] of NON_PUBLIC_V4) NON_PUBLIC.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of NON_PUBLIC_V6) NON_PUBLIC.addSubnet(address, prefix, 'ipv6');

/** IPv4 carried inside IPv6 (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d) is judged as the IPv4 it is. */
const EMBEDDED_V4 = /^(?:::ffff:|64:ff9b::)(?:0{1,4}:)?(\d{1,3}(?:\.\d{1,3}){3})$/i;
const EMBEDDED_V4_HEX = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NON_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return false;
  const embedded = embeddedV4(address);
  if (embedded !== undefined) return isPublicAddress(embedded);
  return !NON_PUBLIC.check(address, 'ipv6');
}

/** A set of CIDR ranges (WEBHOOK_ALLOW_PRIVATE_URLS) let through despite the rule above. */
export class AddressAllowlist {
  readonly #list = new BlockList();
  readonly size: number;

  constructor(cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const parsed = parseCidr(cidr);
      if (parsed === undefined) throw new Error(`not a CIDR range: ${cidr}`);
      this.#list.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
    this.size = cidrs.length;
  }

  allows(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    return this.#list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

export function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, ...rest] = cidr.trim().split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return undefined;
  const bitsMax = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bitsMax : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bitsMax || (prefixText ?? '0').length > 3) return undefined;
  return { address, prefix, family: family === 4 ? 'ipv4' : 'ipv6' };
}

export type WebhookUrlProblem =
  'invalid_url' | 'scheme_not_allowed' | 'credentials_not_allowed' | 'address_not_allowed' | 'host_not_resolved';

/** Every address a host name resolves to (an injected DNS lookup), or a rejection when it does not resolve. */
export type ResolveHost = (host: string) => Promise<string[]>;

/**
 * The URL rule, DNS included: every address the host resolves to must be allowed, since a client may connect
 * to any of them. Null when the URL may be used (the worker checks again at every connection).
 */
export async function resolvedWebhookUrlProblem(
  url: string,
  allowlist: AddressAllowlist,
  resolve: ResolveHost,
): Promise<WebhookUrlProblem | null> {
  const problem = webhookUrlProblem(url, allowlist);
  if (problem !== null) return problem;
  const host = hostOf(new URL(url));
  if (isIP(host) !== 0) return null;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return 'host_not_resolved';
  }
  if (addresses.length === 0) return 'host_not_resolved';
  return addresses.every((address) => isAllowedAddress(address, allowlist)) ? null : 'address_not_allowed';
}

/**
 * What is wrong with a URL before any DNS: not a URL, not http(s), user:password in it, or a literal address
 * that is not public (nor allowlisted). Null when only DNS can tell more.
 */
export function webhookUrlProblem(url: string, allowlist: AddressAllowlist): WebhookUrlProblem | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'invalid_url';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'scheme_not_allowed';
  if (parsed.username !== '' || parsed.password !== '') return 'credentials_not_allowed';
  const host = hostOf(parsed);
  if (isIP(host) !== 0 && !isAllowedAddress(host, allowlist)) return 'address_not_allowed';
  if (host === 'localhost' || host.endsWith('.localhost')) {
    if (!allowlist.allows('127.0.0.1') && !allowlist.allows('::1')) return 'address_not_allowed';
  }
  return null;
}

export function isAllowedAddress(address: string, allowlist: AddressAllowlist): boolean {
  return isPublicAddress(address) || allowlist.allows(address);
}

/** The host of a URL without the brackets of an IPv6 literal. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

function embeddedV4(address: string): string | undefined {
  const dotted = EMBEDDED_V4.exec(address);
  if (dotted?.[1] !== undefined) return dotted[1];
  const hex = EMBEDDED_V4_HEX.exec(address);
  if (hex?.[1] === undefined || hex[2] === undefined) return undefined;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}
