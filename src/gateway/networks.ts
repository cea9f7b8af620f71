// Network addresses in the config: `host:port` listen addresses and the CIDR list of clients allowed to relay.
import { BlockList, isIP } from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

/** A config value that cannot be read, naming the key and the value so the admin can fix it. */
export class NetworkConfigError extends Error {
  constructor(
    readonly key: string,
    readonly value: string,
    problem: string,
  ) {
    super(`${key}: '${value}' ${problem}`);
    this.name = 'NetworkConfigError';
  }
}

/** Reads `127.0.0.1:2525`, `[::1]:2525`, `0.0.0.0:25` or a bare port `2525` (loopback). Port 0 picks a free port. */
export function parseListen(value: string, key: string): ListenAddress {
  const trimmed = value.trim();
  let host = '127.0.0.1';
  let portText = trimmed;
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(trimmed);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2] ?? '';
  } else if (trimmed.includes(':')) {
    const colon = trimmed.lastIndexOf(':');
    host = trimmed.slice(0, colon);
    portText = trimmed.slice(colon + 1);
    if (host.includes(':')) {
      throw new NetworkConfigError(key, value, 'is ambiguous: write an IPv6 address in brackets, e.g. [::1]:2525');
    }
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new NetworkConfigError(key, value, 'needs a port number from 0 to 65535, e.g. 127.0.0.1:2525');
  }
  if (host === '') {
    throw new NetworkConfigError(key, value, 'needs a host before the port, e.g. 127.0.0.1:2525 or 0.0.0.0:2525');
  }
  return { host, port: Number(portText) };
}

export interface AllowedNetworks {
  /** True when the client address is inside one of the allowed networks. */
  allows(address: string): boolean;
}

/**
 * Builds the list of client networks allowed to relay. Entries are CIDR blocks (`10.0.0.0/8`, `2001:db8::/32`) or single
 * addresses. IPv4 clients seen over an IPv6 socket (`::ffff:10.1.2.3`) match IPv4 entries.
 */
export function allowedNetworks(entries: readonly string[], key = 'smtp.allowNetworks'): AllowedNetworks {
  const list = new BlockList();
  for (const entry of entries) {
    const trimmed = entry.trim();
    const slash = trimmed.indexOf('/');
    const address = slash === -1 ? trimmed : trimmed.slice(0, slash);
    const family = isIP(address);
    if (family === 0) {
      throw new NetworkConfigError(key, entry, 'is not an IP address or CIDR block, e.g. 10.0.0.0/8 or 2001:db8::/32');
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (slash === -1) {
      list.addAddress(address, type);
      continue;
    }
    const prefixText = trimmed.slice(slash + 1);
    const maxPrefix = family === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) {
      throw new NetworkConfigError(key, entry, `has a prefix length that is not 0 to ${maxPrefix}`);
    }
    list.addSubnet(address, Number(prefixText), type);
  }
  return {
    allows(address: string): boolean {
      const plain = unmapIPv4(address);
      const family = isIP(plain);
      if (family === 0) return false;
      return list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/** `::ffff:192.0.2.1` -> `192.0.2.1`: a dual-stack socket reports IPv4 clients this way. */
export function unmapIPv4(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? (mapped[1] ?? address) : address;
}
