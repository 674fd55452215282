import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import {
  checkFetchTarget,
  DEFAULT_FETCH_POLICY,
  FetchPolicy,
  FetchRefusedError,
  HostLookup,
  nonPublicRange,
  parsePortRanges,
  pinnedLookup,
} from './ssrf-guard';

const policy = (overrides: Partial<FetchPolicy> = {}): FetchPolicy => ({ ...DEFAULT_FETCH_POLICY, ...overrides });

/** A resolver answering from a table; unknown names fail like DNS does. */
function fakeDns(table: Record<string, string[]>): HostLookup & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: (address.includes(':') ? 6 : 4) as 4 | 6 }));
  };
  return Object.assign(lookup, { calls });
}

async function refusal(url: string, p: FetchPolicy = policy(), lookup: HostLookup = fakeDns({})): Promise<string> {
  try {
    await checkFetchTarget(new URL(url), p, lookup);
  } catch (error) {
    if (error instanceof FetchRefusedError) return error.reason;
    throw error;
  }
  throw new Error(`${url} was allowed`);
}

describe('nonPublicRange', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique local'],
    ['fd12:3456::1', 'unique local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback (IPv4-mapped)'],
    ['::ffff:10.0.0.1', 'private (IPv4-mapped)'],
    ['::ffff:169.254.169.254', 'link-local (IPv4-mapped)'],
    ['64:ff9b::a00:1', 'private (NAT64)'],
    ['2002:7f00:1::1', 'loopback (6to4)'],
  ])('%s is %s', (address, range) => {
    expect(nonPublicRange(address)).toBe(range);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '93.184.215.14', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    '%s is public',
    (address) => {
      expect(nonPublicRange(address)).toBeNull();
    },
  );
});

describe('checkFetchTarget', () => {
  it('accepts a public host and returns every checked address', async () => {
    const dns = fakeDns({ 'images.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'] });
    const target = await checkFetchTarget(new URL('https://images.example/cat.png?sig=abc'), policy(), dns);
    expect(target.hostname).toBe('images.example');
    expect(target.port).toBe(443);
    expect(target.addresses).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ]);
  });

  it('refuses schemes other than http and https', async () => {
    expect(await refusal('ftp://93.184.215.14/cat.png')).toBe('only http and https URLs can be fetched');
    expect(await refusal('file:///etc/passwd')).toBe('only http and https URLs can be fetched');
  });

  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://10.0.0.8/', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://100.64.1.1/', 'carrier-grade NAT'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::1]/', 'loopback'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[fd00::1]/', 'unique local'],
    ['http://[::ffff:127.0.0.1]/', 'loopback (IPv4-mapped)'],
    ['http://[::ffff:192.168.0.1]/', 'private (IPv4-mapped)'],
    // Odd IPv4 spellings are normalised by the URL parser before the check.
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
  ])('refuses the IP host of %s (%s)', async (url, range) => {
    expect(await refusal(url)).toBe(`the address ${new URL(url).hostname.replace(/^\[|\]$/g, '')} is a non-public address (${range})`);
  });

  it('refuses host names resolving to a non-public address, without naming the address', async () => {
    const dns = fakeDns({ 'internal.example': ['10.20.30.40'], 'localhost.example': ['127.0.0.1'], 'v6.example': ['::1'] });
    for (const host of ['internal.example', 'localhost.example', 'v6.example']) {
      const reason = await refusal(`https://${host}/a.png`, policy(), dns);
      expect(reason).toMatch(/^the host resolves to an address that is a non-public address/);
      expect(reason).not.toMatch(/10\.20|127\.0|::1/);
    }
  });

  it('refuses a host name when any one of its addresses is non-public', async () => {
    const dns = fakeDns({ 'mixed.example': ['93.184.215.14', '192.168.1.20'] });
    expect(await refusal('https://mixed.example/a.png', policy(), dns)).toBe(
      'the host resolves to an address that is a non-public address (private)',
    );
  });

  it('refuses a host name that does not resolve', async () => {
    expect(await refusal('https://nowhere.example/a.png')).toBe('the host name could not be resolved');
  });

  it('allows private addresses when allowPrivateIp is on', async () => {
    const dns = fakeDns({ 'internal.example': ['10.20.30.40'] });
    await expect(checkFetchTarget(new URL('http://127.0.0.1/x'), policy({ allowPrivateIp: true }), dns)).resolves.toMatchObject({
      addresses: [{ address: '127.0.0.1', family: 4 }],
    });
    await expect(checkFetchTarget(new URL('http://[::1]/x'), policy({ allowPrivateIp: true }), dns)).resolves.toMatchObject({
      hostname: '::1',
      addresses: [{ address: '::1', family: 6 }],
    });
    await expect(checkFetchTarget(new URL('http://internal.example/x'), policy({ allowPrivateIp: true }), dns)).resolves.toMatchObject({
      addresses: [{ address: '10.20.30.40', family: 4 }],
    });
  });

  it('allows only the configured ports; an empty list allows every port', async () => {
    const dns = fakeDns({ 'images.example': ['93.184.215.14'] });
    for (const url of ['http://images.example/', 'https://images.example/', 'http://images.example:8080/', 'https://images.example:8443/']) {
      await expect(checkFetchTarget(new URL(url), policy(), dns)).resolves.toBeDefined();
    }
    expect(await refusal('http://images.example:22/', policy(), dns)).toBe('port 22 is not allowed');
    expect(await refusal('https://images.example:6379/', policy(), dns)).toBe('port 6379 is not allowed');
    await expect(checkFetchTarget(new URL('http://images.example:6379/'), policy({ allowedPorts: [] }), dns)).resolves.toMatchObject({
      port: 6379,
    });
    const ranged = policy({ allowedPorts: ['443', '9000-9100'] });
    await expect(checkFetchTarget(new URL('http://images.example:9050/'), ranged, dns)).resolves.toMatchObject({ port: 9050 });
    expect(await refusal('http://images.example:9101/', ranged, dns)).toBe('port 9101 is not allowed');
    expect(await refusal('http://images.example/', ranged, dns)).toBe('port 80 is not allowed');
  });

  it('refuses everything when the port setting is malformed (fails closed)', async () => {
    const dns = fakeDns({ 'images.example': ['93.184.215.14'] });
    expect(await refusal('https://images.example/', policy({ allowedPorts: ['https'] }), dns)).toBe(
      'the setting fetch_setting.allowed_ports has an invalid entry "https"',
    );
  });

  it('applies a domain deny list, with *.domain matching the domain and its subdomains', async () => {
    const dns = fakeDns({ 'evil.example': ['93.184.215.14'], 'cdn.evil.example': ['93.184.215.14'], 'good.example': ['93.184.215.14'] });
    const deny = policy({ domainList: ['*.evil.example', 'blocked.test'] });
    expect(await refusal('https://evil.example/a.png', deny, dns)).toBe('the host is in the blocked domain list');
    expect(await refusal('https://CDN.Evil.Example./a.png', deny, dns)).toBe('the host is in the blocked domain list');
    await expect(checkFetchTarget(new URL('https://good.example/a.png'), deny, dns)).resolves.toBeDefined();
    // The domain list is checked before DNS: a denied name is never resolved.
    expect(dns.calls).toEqual(['good.example']);
  });

  it('applies a domain allow list', async () => {
    const dns = fakeDns({ 'images.example': ['93.184.215.14'], 'other.example': ['93.184.215.14'] });
    const allow = policy({ domainAllowList: true, domainList: ['images.example'] });
    await expect(checkFetchTarget(new URL('https://images.example/a.png'), allow, dns)).resolves.toBeDefined();
    expect(await refusal('https://other.example/a.png', allow, dns)).toBe('the host is not in the allowed domain list');
    expect(await refusal('https://sub.images.example/a.png', allow, dns)).toBe('the host is not in the allowed domain list');
  });

  it('applies an IP deny list to IP hosts and to resolved addresses', async () => {
    const dns = fakeDns({ 'images.example': ['93.184.215.14'] });
    const deny = policy({ ipList: ['93.184.215.0/24', '2606:4700::/32'] });
    expect(await refusal('https://93.184.215.99/a.png', deny, dns)).toBe('the address 93.184.215.99 is in the blocked IP list');
    expect(await refusal('https://[2606:4700::1111]/a.png', deny, dns)).toBe('the address 2606:4700::1111 is in the blocked IP list');
    expect(await refusal('https://images.example/a.png', deny, dns)).toBe('the host resolves to an address that is in the blocked IP list');
    // apply_ip_filter_for_domain off: resolved addresses skip the list (never the non-public check).
    await expect(checkFetchTarget(new URL('https://images.example/a.png'), { ...deny, applyIpFilterForDomain: false }, dns)).resolves.toBeDefined();
  });

  it('applies an IP allow list; a listed private address still needs allowPrivateIp', async () => {
    const allow = policy({ ipAllowList: true, ipList: ['8.8.8.8', '10.0.0.0/8'] });
    await expect(checkFetchTarget(new URL('https://8.8.8.8/a.png'), allow)).resolves.toBeDefined();
    expect(await refusal('https://1.1.1.1/a.png', allow)).toBe('the address 1.1.1.1 is not in the allowed IP list');
    expect(await refusal('https://10.1.1.1/a.png', allow)).toBe('the address 10.1.1.1 is a non-public address (private)');
  });

  it('refuses everything when the IP list has a malformed entry (fails closed)', async () => {
    expect(await refusal('https://8.8.8.8/a.png', policy({ ipList: ['8.8.8.0/99'] }))).toBe(
      'the setting fetch_setting.ip_list has an invalid entry "8.8.8.0/99"',
    );
  });

  it('checks nothing but the scheme when protection is off', async () => {
    const dns = fakeDns({});
    await expect(checkFetchTarget(new URL('http://127.0.0.1:22/'), policy({ enabled: false }), dns)).resolves.toMatchObject({
      addresses: null,
      port: 22,
    });
    expect(await refusal('gopher://127.0.0.1/', policy({ enabled: false }))).toBe('only http and https URLs can be fetched');
    expect(dns.calls).toEqual([]);
  });

  it('gives up on a slow resolver when the signal aborts', async () => {
    const never: HostLookup = () => new Promise(() => undefined);
    const controller = new AbortController();
    const pending = checkFetchTarget(new URL('https://slow.example/'), policy(), never, controller.signal);
    controller.abort(new Error('deadline'));
    await expect(pending).rejects.toThrow('deadline');
  });
});

describe('parsePortRanges', () => {
  it('reads ports, numeric strings and ranges', () => {
    expect(parsePortRanges([80, '443', ' 8000 - 8010 '])).toEqual([
      [80, 80],
      [443, 443],
      [8000, 8010],
    ]);
  });

  it.each(['0', '65536', '90-80', 'http', '1-2-3'])('refuses "%s"', (entry) => {
    expect(() => parsePortRanges([entry])).toThrow(FetchRefusedError);
  });
});

describe('pinnedLookup', () => {
  const target = {
    url: new URL('https://images.example/'),
    hostname: 'images.example',
    port: 443,
    addresses: [
      { address: '93.184.215.14', family: 4 as const },
      { address: '2606:2800::1', family: 6 as const },
    ],
  };

  const call = (hostname: string, options: object) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
      pinnedLookup(target)(hostname, options, (error, address, family) => resolve({ error, address, family })),
    );

  it('answers with the checked addresses only', async () => {
    expect(await call('images.example', { all: true })).toEqual({
      error: null,
      address: target.addresses,
      family: undefined,
    });
    expect(await call('images.example', {})).toEqual({ error: null, address: '93.184.215.14', family: 4 });
    expect(await call('images.example', { family: 6 })).toEqual({ error: null, address: '2606:2800::1', family: 6 });
  });

  it('refuses any other host name', async () => {
    const { error } = await call('elsewhere.example', { all: true });
    expect(error?.code).toBe('ENOTFOUND');
  });

  describe('on a real connection', () => {
    let server: Server;
    let port: number;

    beforeAll(async () => {
      server = createServer((req, res) => res.end(`host header ${req.headers.host}`));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('connects to the checked address, not to what DNS would answer now', async () => {
      // The name does not exist in DNS: the connection succeeds only through the pinned answer.
      const url = new URL(`http://rebind.invalid:${port}/a.png`);
      const dns = fakeDns({ 'rebind.invalid': ['127.0.0.1'] });
      const checked = await checkFetchTarget(url, policy({ allowPrivateIp: true, allowedPorts: [] }), dns);
      const agent = new Agent({ connect: { lookup: pinnedLookup(checked) } });
      try {
        const response = await request(url, { dispatcher: agent });
        expect(await response.body.text()).toBe(`host header rebind.invalid:${port}`);
      } finally {
        await agent.close();
      }
    });
  });
});
