import { isIP } from 'node:net';

const EXPRESS_SUBNET_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
/** Most proxy hops accepted: more than the proxies really in front lets clients choose their IP. */
const MAX_TRUSTED_HOPS = 5;

/**
 * Express' `trust proxy` from `TRUST_PROXY`: `false` (default: the client is the socket peer), a
 * hop count from 1 to {@link MAX_TRUSTED_HOPS} (the number of proxies really in front: one more
 * lets a client choose its IP), or a comma-separated list of proxy addresses, subnets (`10.0.0.0/8`) and Express'
 * names `loopback`, `linklocal`, `uniquelocal`. `true` is refused: trusting every hop lets any client
 * choose its own IP with `X-Forwarded-For`, and with it its rate-limit bucket.
 *
 * @throws RangeError describing what is expected.
 */
export function parseTrustProxy(text: string): false | number | string[] {
  const value = text.trim().toLowerCase();
  if (value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value) && Number(value) <= MAX_TRUSTED_HOPS) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !EXPRESS_SUBNET_NAMES.has(entry) && !isAddressOrSubnet(entry));
  if (bad === undefined) return entries;
  throw new RangeError(
    `expected false, a hop count from 1 to ${MAX_TRUSTED_HOPS}, or proxy addresses/subnets such as 10.0.0.0/8,loopback (true would let any client choose its IP), got "${text}"`,
  );
}

function isAddressOrSubnet(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
