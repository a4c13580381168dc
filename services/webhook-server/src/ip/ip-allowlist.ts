import { BlockList, isIP } from "node:net";

/** IPv4 clients on a dual-stack socket appear as ::ffff:a.b.c.d; match them against IPv4 ranges. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

export interface IpAllowlist {
  allows(address: string): boolean;
}

/**
 * A list of addresses and CIDR ranges, IPv4 and IPv6 (JIRA_ALLOWED_IPS). An entry that is not a valid
 * address or range throws at startup, naming it, rather than silently admitting or refusing everyone.
 */
export function createIpAllowlist(entries: readonly string[]): IpAllowlist {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", prefixText] = entry.split("/");
    const family = isIP(address);
    if (family === 0) throw new Error(`JIRA_ALLOWED_IPS: "${entry}" is not an IP address or CIDR range`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefixText === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
    if (!(prefix >= 0 && prefix <= (family === 4 ? 32 : 128))) throw new Error(`JIRA_ALLOWED_IPS: "${entry}" has an invalid prefix length`);
    list.addSubnet(address, prefix, type);
  }
  return {
    allows(address) {
      const normalized = normalizeAddress(address);
      const family = isIP(normalized);
      if (family === 0) return false;
      return list.check(normalized, family === 4 ? "ipv4" : "ipv6");
    },
  };
}
