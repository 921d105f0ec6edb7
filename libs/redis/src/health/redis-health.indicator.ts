import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { withTimeout } from '../common/with-timeout';
import { RedisExecutor } from '../executor/redis-executor';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS, REDIS_RESOLVED_OPTIONS } from '../redis.constants';
import { RedisStatusService } from './redis-status.service';

/**
 * Terminus indicator: pings Redis (within the command timeout, and never longer than 750 ms, so a
 * probe answers within a second even when every Redis process hangs) and reports `up` when it
 * answers, Terminus' `degraded` (the check stays 200, its status `degraded`) while the in-memory
 * fallback serves instead, and `down` when Redis is unreachable and the fallback is off. With
 * `health.strict` (`REDIS_HEALTH_STRICT`) a degraded state is `down` too. Never throws; never
 * reports a secret.
 *
 * @example
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.redis.isHealthy('redis')]); }
 */
@Injectable()
export class RedisHealthIndicator {
  private readonly probeTimeoutMs: number;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly executor: RedisExecutor,
    private readonly status: RedisStatusService,
    @Inject(REDIS_RESOLVED_OPTIONS) private readonly options: ResolvedRedisOptions,
  ) {
    this.probeTimeoutMs = Math.min(options.commandTimeoutMs, REDIS_DEFAULTS.healthProbeTimeoutMs);
  }

  async isHealthy<const Key extends string = 'redis'>(key: Key = 'redis' as Key): Promise<HealthIndicatorResult<Key>> {
    const session = this.health.check(key);
    const reachable = await withTimeout(this.executor.ping(), this.probeTimeoutMs).catch(() => false);
    const status = this.status.getStatus();
    const degraded = !reachable || status.degraded;
    const up = this.options.health.strict ? !degraded : reachable || status.fallbackEnabled;
    const details = {
      connected: reachable,
      degraded,
      mode: status.mode,
      message: this.message(reachable, degraded, status.fallbackEnabled, status.mode),
      metrics: status.metrics,
      ...(status.sentinel ? { sentinel: status.sentinel } : {}),
      ...(status.cluster ? { cluster: status.cluster } : {}),
    };
    if (!up) return session.down(details);
    return degraded ? session.degraded(details) : session.up(details);
  }

  private message(reachable: boolean, degraded: boolean, fallbackEnabled: boolean, mode: string): string {
    const strict = this.options.health.strict && degraded ? '; reported down because health is strict' : '';
    if (reachable && !degraded) return `Redis is healthy (${mode} mode)`;
    if (reachable) return `Redis answers (${mode} mode) but calls are served from the in-memory fallback${strict}`;
    return fallbackEnabled
      ? `Redis is unreachable (${mode} mode); serving from the in-memory fallback${strict}`
      : `Redis is unreachable (${mode} mode) and the in-memory fallback is disabled`;
  }
}
