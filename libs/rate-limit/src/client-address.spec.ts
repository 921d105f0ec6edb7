import { clientAddressKey } from './client-address';

describe('clientAddressKey', () => {
  it('keys IPv4 clients by address, also when they arrive IPv4-mapped', () => {
    expect(clientAddressKey('192.0.2.7', 64)).toBe('192.0.2.7');
    expect(clientAddressKey('::ffff:192.0.2.7', 64)).toBe('192.0.2.7');
  });

  it('keys IPv6 clients by their network, so one /64 holder shares one bucket', () => {
    const a = clientAddressKey('2001:db8:1:2:aaaa::1', 64);
    expect(a).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:db8:1:2:ffff:ffff:ffff:fffe', 64)).toBe(a);
    expect(clientAddressKey('2001:db8:1:3::1', 64)).not.toBe(a);
    expect(clientAddressKey('2001:db8:1:2:aaaa::1', 128)).toBe('2001:db8:1:2:aaaa::1/128');
    expect(clientAddressKey('2001:db8:1:2:aaaa::1', 48)).toBe('2001:db8:1::/48');
  });

  it('passes anything that is not an address through', () => {
    expect(clientAddressKey('unknown', 64)).toBe('unknown');
  });
});
