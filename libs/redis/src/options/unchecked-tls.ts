import type { ResolvedRedisOptions } from './resolved-redis-options.interface';

/** Which connections use TLS without checking certificates (`rejectUnauthorized: false`). */
export function uncheckedTlsTargets(options: ResolvedRedisOptions): ('the data nodes' | 'the sentinels')[] {
  return [
    ...(options.tls?.rejectUnauthorized === false ? (['the data nodes'] as const) : []),
    ...(options.mode === 'sentinel' && options.sentinel.tls?.rejectUnauthorized === false
      ? (['the sentinels'] as const)
      : []),
  ];
}
