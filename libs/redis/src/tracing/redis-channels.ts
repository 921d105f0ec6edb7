import { channel } from 'node:diagnostics_channel';

/**
 * The toolkit's own `diagnostics_channel`s, for an APM agent or any other observer in the process:
 * a message is published only while someone subscribes. (Its OpenTelemetry spans come from
 * `RedisTracing`.)
 *
 * - `sentinel-kit:redis:failover`: a failover was counted; the message is its `FailoverRecord`
 *   (from, to, duration, how it was learnt, shard).
 */
export const REDIS_FAILOVER_CHANNEL = channel('sentinel-kit:redis:failover');
