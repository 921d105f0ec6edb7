import type { RedisNodeAddress } from './redis-module-options.interface';

/** Hostnames and IPv4 addresses: letters, digits, dots, dashes, underscores. */
const HOST_PATTERN = /^[A-Za-z0-9._-]+$/;

/** Either the parsed address or why the entry is not one. */
export type SentinelEntryResult = { ok: true; address: RedisNodeAddress } | { ok: false; problem: string };

/**
 * Parses one `host:port` entry of a sentinel list: hostnames, IPv4 and bracketed IPv6
 * (`[::1]:26379`). The entry is trimmed first; the problem text quotes it.
 */
export function parseSentinelEntry(raw: string): SentinelEntryResult {
  const entry = raw.trim();
  if (entry === '') return { ok: false, problem: 'has an empty entry (check for doubled or trailing commas)' };
  let host: string;
  let portText: string;
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(.*))?$/.exec(entry);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2] ?? '';
  } else {
    const colons = entry.split(':').length - 1;
    if (colons > 1) return { ok: false, problem: `entry "${entry}": put IPv6 addresses in brackets, e.g. [::1]:26379` };
    [host, portText = ''] = colons === 1 ? entry.split(':') : [entry];
    if (!HOST_PATTERN.test(host)) return { ok: false, problem: `entry "${entry}" has an invalid host` };
  }
  if (portText === '') return { ok: false, problem: `entry "${entry}" has no port (expected host:port)` };
  if (!/^\d+$/.test(portText)) return { ok: false, problem: `entry "${entry}" has a non-numeric port` };
  const port = Number(portText);
  if (port < 1 || port > 65535) return { ok: false, problem: `entry "${entry}" has a port outside 1-65535` };
  return { ok: true, address: { host, port } };
}

/** `host:port`, with IPv6 hosts in brackets. */
export function formatAddress(address: RedisNodeAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
