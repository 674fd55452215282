import { BlockList, isIP } from 'node:net';

/**
 * A token's `allow_ips`: one IP or CIDR per line (commas accepted too). Empty allows everyone.
 * Built once per distinct string and reused on the hot path.
 */
export class IpAllowList {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(spec: string) {
    let entries = 0;
    for (const raw of spec.split(/[\n,]/)) {
      const entry = raw.trim();
      if (!entry) continue;
      const [address, prefix] = entry.split('/');
      const family = isIP(address);
      if (family === 0) continue;
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(prefix), type);
      entries++;
    }
    this.empty = entries === 0;
  }

  allows(ip: string): boolean {
    if (this.empty) return true;
    const normalised = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
    const family = isIP(normalised);
    if (family === 0) return false;
    return this.list.check(normalised, family === 4 ? 'ipv4' : 'ipv6');
  }
}
