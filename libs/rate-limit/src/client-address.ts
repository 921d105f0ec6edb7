import { isIPv4, isIPv6 } from 'node:net';
import ipaddr from 'ipaddr.js';

const IPV4_MAPPED = /^::ffff:/i;

/**
 * The rate-limit identity of a client address: an IPv4 address as it is (also when it arrives
 * IPv4-mapped, `::ffff:192.0.2.1`), an IPv6 address as its network of `ipv6PrefixBits` bits
 * (`2001:db8:1:2::/64`), since one subscriber usually holds a whole /64 and could otherwise take a
 * fresh bucket per address. Anything else (no address) is returned unchanged. Runs on every limited
 * request: IPv4, the common case, costs one check.
 */
export function clientAddressKey(address: string, ipv6PrefixBits: number): string {
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;
  if (IPV4_MAPPED.test(address) && isIPv4(address.slice(7))) return address.slice(7);
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${address}/${ipv6PrefixBits}`).toString()}/${ipv6PrefixBits}`;
}
