import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, LookupFunction } from 'node:net';
import * as ipaddr from 'ipaddr.js';

/**
 * Decides whether the gateway may fetch a user-supplied URL (New API's `fetch_setting`), and pins
 * the connection to the addresses it checked, so a DNS answer that changes between the check and
 * the connect (DNS rebinding) cannot lead to a private address.
 */

/** Which URLs may be fetched: the options `fetch_setting.*`, parsed. */
export interface FetchPolicy {
  /** fetch_setting.enable_ssrf_protection: false skips every check below (only the scheme is checked). */
  enabled: boolean;
  /** fetch_setting.allow_private_ip: allow loopback, private, link-local and the other non-public ranges. */
  allowPrivateIp: boolean;
  /** fetch_setting.allowed_ports: ports (80) or ranges ("8000-9000"); empty allows every port. */
  allowedPorts: readonly (string | number)[];
  /** fetch_setting.domain_filter_mode: true = domainList is an allow list, false = a deny list. */
  domainAllowList: boolean;
  /** Domains ("example.com", or "*.example.com" for it and its subdomains); checked for host names only. */
  domainList: readonly string[];
  /** fetch_setting.ip_filter_mode: true = ipList is an allow list, false = a deny list. */
  ipAllowList: boolean;
  /** IPs or CIDR ranges; checked for IP hosts, and for the addresses of host names when applyIpFilterForDomain. */
  ipList: readonly string[];
  /** fetch_setting.apply_ip_filter_for_domain. Non-public addresses are refused for host names either way. */
  applyIpFilterForDomain: boolean;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = Object.freeze({
  enabled: true,
  allowPrivateIp: false,
  allowedPorts: Object.freeze([80, 443, 8080, 8443]),
  domainAllowList: false,
  domainList: Object.freeze([]),
  ipAllowList: false,
  ipList: Object.freeze([]),
  applyIpFilterForDomain: true,
});

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (node:dns/promises `lookup(host, {all: true})` by default). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: HostLookup = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** A URL that passed the checks. */
export interface CheckedTarget {
  url: URL;
  /** The host name or IP as the connection sees it (IPv6 without brackets). */
  hostname: string;
  port: number;
  /** The checked addresses to connect to; null when protection is off (connect as usual). */
  addresses: ResolvedAddress[] | null;
}

/** The URL may not be fetched. `reason` names no URL, only the host or the address the caller gave. */
export class FetchRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FetchRefusedError';
  }
}

/** Throws FetchRefusedError unless `url` may be fetched under `policy`; resolves host names with `lookup`. */
export async function checkFetchTarget(
  url: URL,
  policy: FetchPolicy,
  lookup: HostLookup = systemLookup,
  signal?: AbortSignal,
): Promise<CheckedTarget> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchRefusedError('only http and https URLs can be fetched');
  }
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  if (!policy.enabled) return { url, hostname, port, addresses: null };

  if (!portAllowed(port, policy.allowedPorts)) throw new FetchRefusedError(`port ${port} is not allowed`);

  const ipFamily = isIP(hostname);
  if (ipFamily !== 0) {
    const refusal = addressRefusal(hostname, policy, true);
    if (refusal) throw new FetchRefusedError(`the address ${hostname} ${refusal}`);
    return { url, hostname, port, addresses: [{ address: hostname, family: ipFamily === 6 ? 6 : 4 }] };
  }

  const domain = hostname.toLowerCase().replace(/\.$/, '');
  const listed = domainListed(domain, policy.domainList);
  if (policy.domainAllowList && !listed) throw new FetchRefusedError('the host is not in the allowed domain list');
  if (!policy.domainAllowList && listed) throw new FetchRefusedError('the host is in the blocked domain list');

  let addresses: ResolvedAddress[];
  try {
    addresses = await abortable(lookup(hostname), signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new FetchRefusedError('the host name could not be resolved');
  }
  if (addresses.length === 0) throw new FetchRefusedError('the host name could not be resolved');
  // Every address must pass: connections may go to any of them. The address itself is not
  // named, so the gateway cannot be used to map internal DNS names.
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, policy, policy.applyIpFilterForDomain);
    if (refusal) throw new FetchRefusedError(`the host resolves to an address that ${refusal}`);
  }
  return { url, hostname, port, addresses };
}

/**
 * A `lookup` for net/tls connect (undici `Agent({connect: {lookup}})`) that answers only for the
 * checked host, with the checked addresses, and never asks DNS again.
 */
export function pinnedLookup(target: CheckedTarget): LookupFunction {
  const addresses = target.addresses ?? [];
  return (hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    if (hostname !== target.hostname || wanted.length === 0) {
      const error: NodeJS.ErrnoException = new Error('not the checked host');
      error.code = 'ENOTFOUND';
      callback(error, '');
      return;
    }
    if (options.all) callback(null, wanted.map(({ address, family }) => ({ address, family })));
    else callback(null, wanted[0].address, wanted[0].family);
  };
}

/**
 * The name of the non-public range an address is in ("loopback", "private", …), or null for a
 * public unicast address. IPv4 embedded in IPv6 (IPv4-mapped, IPv4-translated, NAT64, 6to4) is
 * judged by the IPv4 address it carries.
 */
export function nonPublicRange(address: string): string | null {
  const ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv4') {
    const range = ip.range();
    return PUBLIC_IPV4_RANGES.has(range) ? null : (RANGE_NAMES[range] ?? range);
  }
  const v6 = ip as ipaddr.IPv6;
  const range: string = v6.range();
  const embedded = embeddedIpv4(v6, range);
  if (embedded) {
    const inner = nonPublicRange(embedded.toString());
    return inner ? `${inner} (${RANGE_NAMES[range]})` : null;
  }
  return PUBLIC_IPV6_RANGES.has(range) ? null : (RANGE_NAMES[range] ?? range);
}

/** Parses allowed port entries (443, "443", "8000-9000"); throws FetchRefusedError on a bad entry. */
export function parsePortRanges(entries: readonly (string | number)[]): [number, number][] {
  return entries.map((entry) => {
    const text = String(entry).trim();
    const match = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(text);
    const low = match ? Number(match[1]) : NaN;
    const high = match?.[2] !== undefined ? Number(match[2]) : low;
    if (!match || low < 1 || high > 65535 || low > high) {
      throw new FetchRefusedError(`the setting fetch_setting.allowed_ports has an invalid entry "${text.slice(0, 20)}"`);
    }
    return [low, high];
  });
}

function portAllowed(port: number, allowedPorts: readonly (string | number)[]): boolean {
  if (allowedPorts.length === 0) return true;
  return parsePortRanges(allowedPorts).some(([low, high]) => port >= low && port <= high);
}

/** "example.com" matches itself; "*.example.com" matches example.com and every subdomain. */
function domainListed(domain: string, list: readonly string[]): boolean {
  return list.some((raw) => {
    const item = raw.trim().toLowerCase().replace(/\.$/, '');
    if (!item) return false;
    if (item.startsWith('*.')) {
      const base = item.slice(2);
      return domain === base || domain.endsWith(`.${base}`);
    }
    return domain === item;
  });
}

/** Why `address` is refused ("is a loopback address", …), or null. */
function addressRefusal(address: string, policy: FetchPolicy, applyIpList: boolean): string | null {
  if (!policy.allowPrivateIp) {
    const range = nonPublicRange(address);
    if (range) return `is a non-public address (${range})`;
  }
  if (!applyIpList) return null;
  const listed = ipListed(address, policy.ipList);
  if (policy.ipAllowList && !listed) return 'is not in the allowed IP list';
  if (!policy.ipAllowList && listed) return 'is in the blocked IP list';
  return null;
}

function ipListed(address: string, list: readonly string[]): boolean {
  // IPv4-mapped IPv6 compares as the IPv4 address it carries.
  const ip = ipaddr.process(address);
  return list.some((raw) => {
    const entry = raw.trim();
    if (!entry) return false;
    let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
      range = entry.includes('/') ? ipaddr.parseCIDR(entry) : singleAddress(ipaddr.process(entry));
    } catch {
      // Fail closed: a mistyped entry must not silently open a deny list.
      throw new FetchRefusedError(`the setting fetch_setting.ip_list has an invalid entry "${entry.slice(0, 50)}"`);
    }
    return range[0].kind() === ip.kind() && ip.match(range);
  });
}

function singleAddress(ip: ipaddr.IPv4 | ipaddr.IPv6): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  return [ip, ip.kind() === 'ipv4' ? 32 : 128];
}

/** The IPv4 address carried by an IPv6 address of the ranges that embed one, else null. */
function embeddedIpv4(ip: ipaddr.IPv6, range: string): ipaddr.IPv4 | null {
  const p = ip.parts;
  const fromWords = (high: number, low: number): ipaddr.IPv4 => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  switch (range) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d
      return fromWords(p[6], p[7]);
    case 'rfc6052': // 64:ff9b::a.b.c.d, the NAT64 well-known prefix; the local-use 64:ff9b:1::/48 stays refused
      return p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0 ? fromWords(p[6], p[7]) : null;
    case '6to4': // 2002:aabb:ccdd::/48
      return fromWords(p[1], p[2]);
    default:
      return null;
  }
}

const PUBLIC_IPV4_RANGES = new Set(['unicast', 'as112', 'amt']);
const PUBLIC_IPV6_RANGES = new Set(['unicast', 'as112v6', 'amt']);

const RANGE_NAMES: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  reserved: 'reserved',
  benchmarking: 'benchmarking',
  uniqueLocal: 'unique local',
  deprecatedSiteLocal: 'site-local',
  discard: 'discard-only',
  teredo: 'Teredo',
  orchid2: 'ORCHID',
  deprecatedOrchid: 'ORCHID',
  droneRemoteIdProtocolEntityTags: 'reserved',
  segmentRouting: 'segment routing',
  ipv4Mapped: 'IPv4-mapped',
  rfc6145: 'IPv4-translated',
  rfc6052: 'NAT64',
  '6to4': '6to4',
};

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
