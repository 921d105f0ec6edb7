import ipaddr from 'ipaddr.js';

/**
 * The rate-limit identity of a client address: an IPv4 address as it is (also when it arrives
 * IPv4-mapped, `::ffff:192.0.2.1`), an IPv6 address as its network of `ipv6PrefixBits` bits
 * (`2001:db8:1:2::/64`), since one subscriber usually holds a whole /64 and could otherwise take a
 * fresh bucket per address. Anything else (no address) is returned unchanged.
 */
export function clientAddressKey(address: string, ipv6PrefixBits: number): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/${ipv6PrefixBits}`);
  return `${network.toString()}/${ipv6PrefixBits}`;
}
