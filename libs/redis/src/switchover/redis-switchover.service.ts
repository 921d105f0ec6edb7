import { Inject, Injectable, Logger } from '@nestjs/common';
import { SwitchoverRefusedError } from '../errors/switchover-refused.error';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { formatAddress } from '../options/sentinel-address.parser';
import { REDIS_RESOLVED_OPTIONS } from '../redis.constants';
import { plannedSwitchover, type SwitchoverResult, type SwitchoverTimings } from './planned-switchover';

/**
 * Planned switchover of the Sentinel group this application uses (see {@link plannedSwitchover}):
 * no acknowledged write lost, writes held for the switch only. One at a time per process.
 */
@Injectable()
export class RedisSwitchoverService {
  private readonly logger = new Logger('RedisModule');
  private running = false;

  constructor(@Inject(REDIS_RESOLVED_OPTIONS) private readonly options: ResolvedRedisOptions) {}

  /** @throws SwitchoverRefusedError when not in Sentinel mode, already running, or a check fails. */
  async switchover(timings: Partial<SwitchoverTimings> = {}): Promise<SwitchoverResult> {
    if (this.options.mode !== 'sentinel') throw new SwitchoverRefusedError('a switchover needs Sentinel mode');
    if (this.running) throw new SwitchoverRefusedError('a switchover is already running');
    this.running = true;
    try {
      this.logger.warn('planned switchover: starting');
      const result = await plannedSwitchover(this.options, timings);
      this.logger.warn(
        `planned switchover: primary ${formatAddress(result.from)} -> ${formatAddress(result.to)}, ` +
          `writes held ${result.writeOutageMs} ms, old primary demoted: ${result.oldPrimaryDemoted}`,
      );
      return result;
    } catch (error) {
      this.logger.error(`planned switchover failed: ${(error as Error).message}`);
      throw error;
    } finally {
      this.running = false;
    }
  }
}
