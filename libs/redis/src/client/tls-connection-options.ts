import type { ConnectionOptions } from 'node:tls';
import type { ResolvedTlsOptions } from '../options/resolved-redis-options.interface';

/** Node's TLS settings for a connection to a node; undefined where TLS is off. */
export function tlsConnectionOptions(tls: ResolvedTlsOptions | null): ConnectionOptions | undefined {
  return tls === null ? undefined : { ...tls };
}
