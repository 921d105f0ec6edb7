import type { RedisOptions } from 'ioredis';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS } from '../redis.constants';
import { stalledSocketTimeout } from './reconnect-policy';
import { tlsConnectionOptions } from './tls-connection-options';

/**
 * What every connection to a data node shares, in every mode: credentials, TLS and protocol; every
 * command bounded by the command timeout and a connection attempt by the connect timeout; a socket
 * that stays silent while commands wait torn down; unanswered commands never sent again by ioredis
 * (their outcome is unknown); and the name `sentinel-kit:<purpose>` in `CLIENT LIST`.
 */
export function nodeConnectionOptions(options: ResolvedRedisOptions, purpose: string): RedisOptions {
  return {
    username: options.username,
    password: options.password,
    tls: tlsConnectionOptions(options.tls),
    protocol: options.protocol,
    commandTimeout: options.commandTimeoutMs,
    socketTimeout: stalledSocketTimeout(options),
    connectTimeout: REDIS_DEFAULTS.connectTimeoutMs,
    disconnectTimeout: REDIS_DEFAULTS.disconnectTimeoutMs,
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    connectionName: `sentinel-kit:${purpose}`,
  };
}
