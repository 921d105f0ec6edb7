import { z } from 'zod';
import { integerOption } from './integer-option';
import { REDIS_DEFAULTS } from '../redis.constants';
import { VALUE_IN_MESSAGE } from './config-issue.formatter';
import { formatAddress } from './sentinel-address.parser';

const port = z
  .int('expected an integer')
  .min(1, 'expected a port from 1 to 65535')
  .max(65535, 'expected a port from 1 to 65535');
const positiveInt = (upTo: number) => integerOption(1, upTo);
const nonEmpty = z.string('expected a string').trim().min(1, 'must not be empty');

const address = z.object({ host: nonEmpty, port });

/** PEM text, or a Buffer holding it. */
const pem = z.union([z.string(), z.instanceof(Buffer)], 'expected PEM text or a Buffer').transform(String);

/** At least `REDIS_DEFAULTS.minDiscoveryNodes` distinct addresses (sentinels, or a cluster's seed nodes: one may be down). */
const addressList = (mode: string, nodes: string) =>
  z.array(address).superRefine((list, ctx) => {
    const seen = new Set<string>();
    for (const entry of list) {
      const key = `${entry.host.toLowerCase()}:${entry.port}`;
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate entry "${formatAddress(entry)}"`,
          params: { [VALUE_IN_MESSAGE]: true },
        });
      }
      seen.add(key);
    }
    if (seen.size < REDIS_DEFAULTS.minDiscoveryNodes) {
      const given = list.map(formatAddress).join(', ') || 'none';
      ctx.addIssue({
        code: 'custom',
        message: `${mode} needs at least ${REDIS_DEFAULTS.minDiscoveryNodes} distinct ${nodes} addresses, got ${seen.size} (${given})`,
        params: { [VALUE_IN_MESSAGE]: true },
      });
    }
  });

const holdMs = z
  .int('expected an integer')
  .min(0, 'expected an integer from 0 to 600000')
  .max(600_000, 'expected an integer from 0 to 600000');

/** Accepts what a standalone URL may be; the details are checked when it is resolved. */
const redisUrl = z.string('expected a string').refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}, 'expected a redis:// or rediss:// URL with a host');

/** `true`, `false`, or the detailed TLS settings. */
const tlsSetting = z
  .union(
    [
      z.boolean(),
      z
        .strictObject({
          ca: pem.optional(),
          cert: pem.optional(),
          key: pem.optional(),
          servername: nonEmpty.optional(),
          rejectUnauthorized: z.boolean('expected true or false').optional(),
        })
        .superRefine((tls, ctx) => {
          if ((tls.cert === undefined) === (tls.key === undefined)) return;
          const missing = tls.cert === undefined ? 'cert' : 'key';
          ctx.addIssue({ code: 'custom', path: [missing], message: 'cert and key go together: give both or neither' });
        }),
    ],
    'expected true, false or TLS settings',
  )
  .optional();

/**
 * Schema of {@link RedisModuleOptions}: types, ranges, the node-count rules, and one mode at a time.
 * Unknown keys are errors.
 */
export const redisOptionsSchema = z
  .strictObject({
    sentinel: z
      .strictObject({
        sentinels: addressList('Sentinel mode', 'sentinel'),
        masterName: nonEmpty.regex(/^\S+$/, 'must not contain whitespace').optional(),
        username: nonEmpty.optional(),
        password: z.string().optional(),
        tls: tlsSetting,
        readFromReplicas: z.boolean('expected true or false').optional(),
        masterCheckIntervalMs: positiveInt(600_000).optional(),
        writeHoldMs: holdMs.optional(),
        replicaMaxLagMs: holdMs.optional(),
      })
      .optional(),
    cluster: z
      .strictObject({
        nodes: addressList('Cluster mode', 'seed node'),
        scaleReads: z.enum(['master', 'slave', 'all'], 'expected master, slave or all').optional(),
        writeHoldMs: holdMs.optional(),
        topologyCheckIntervalMs: positiveInt(600_000).optional(),
      })
      .optional(),
    url: redisUrl.optional(),
    host: nonEmpty.optional(),
    port: port.optional(),
    username: nonEmpty.optional(),
    password: z.string().optional(),
    db: z.int('expected an integer').min(0, 'expected an integer from 0').optional(),
    tls: tlsSetting,
    natMap: z
      .record(z.string().regex(/^\S+:\d{1,5}$/, 'expected "host:port" keys'), address, 'expected an object')
      .optional(),
    protocol: z.union([z.literal(2), z.literal(3)], 'expected 2 or 3').optional(),
    keyPrefix: z.string('expected a string').optional(),
    commandTimeoutMs: positiveInt(60_000).optional(),
    fallback: z
      .strictObject({
        enabled: z.boolean('expected true or false').optional(),
        maxEntries: positiveInt(10_000_000).optional(),
        maxBytes: z
          .int('expected an integer')
          .min(1024, 'expected an integer from 1024 to 17179869184')
          .max(16 * 1024 ** 3, 'expected an integer from 1024 to 17179869184')
          .optional(),
      })
      .optional(),
    circuit: z
      .strictObject({ failureThreshold: positiveInt(1000).optional(), probeIntervalMs: positiveInt(60_000).optional() })
      .optional(),
    health: z.strictObject({ strict: z.boolean('expected true or false').optional() }).optional(),
    metrics: z.strictObject({ nodeLabels: z.boolean('expected true or false').optional() }).optional(),
  })
  .superRefine((options, ctx) => {
    if (options.cluster === undefined) return;
    if (options.sentinel !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['cluster'],
        message: 'Sentinel mode and Cluster mode are both configured: choose one',
      });
    }
    if ((options.db ?? 0) !== 0) {
      ctx.addIssue({ code: 'custom', path: ['db'], message: 'a cluster has only database 0' });
    }
  });
