import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { RedisModule } from '@sentinel-kit/redis';
import { SessionModule, SessionService, type SessionDurability } from '@sentinel-kit/session';
import type { SentinelTopology } from '@sentinel-kit/testing';
import Redis from 'ioredis';
import type { BenchSuite, ThroughputComparison } from '../scenario';

const TTL_SECONDS = 1800;
const DATA = { role: 'reader', locale: 'en-GB', cart: [1, 2, 3] };

/**
 * Create a session, then read it back: our `SessionService` (with its per-user index, sliding
 * expiry and, in `replicated` mode, `WAIT` for a replica) against the least a hand-written store
 * does with ioredis: `SET key json EX ttl` (plus `WAIT 1` for the durable variant) and `GET`.
 * On a Sentinel group, so that `WAIT` has a replica to wait for.
 */
export async function sessionSuite(topology: SentinelTopology): Promise<BenchSuite> {
  const sentinels = topology.sentinels.map(({ host, port }) => ({ host, port }));
  const start = async (durability: SessionDurability) => {
    const moduleRef = await Test.createTestingModule({
      imports: [RedisModule.forRoot({ sentinel: { sentinels } }), SessionModule.forRoot({ durability })],
    }).compile();
    moduleRef.useLogger(false);
    return moduleRef.init();
  };
  const durableApp = await start('replicated');
  const fastApp = await start('primary');
  const durable = durableApp.get(SessionService);
  const fast = fastApp.get(SessionService);
  const raw = new Redis({ sentinels, name: topology.masterName });
  // A user per session, as in real traffic: one user past SESSION_MAX_PER_USER would evict on every create.
  let users = 0;
  const ours = (service: SessionService) => async () => {
    const { id } = await service.create(`user-${(users += 1)}`, DATA);
    await service.get(id);
  };
  const handWritten = (wait: boolean) => async () => {
    const id = randomBytes(24).toString('base64url');
    const value = JSON.stringify({ userId: 'user-1', data: DATA, createdAt: Date.now() });
    const pipeline = raw.pipeline().set(`sess:${id}`, value, 'EX', TTL_SECONDS);
    if (wait) pipeline.wait(1, 250);
    await pipeline.exec();
    await raw.get(`sess:${id}`);
  };

  const comparisons: ThroughputComparison[] = [];
  for (const concurrency of [1, 50]) {
    comparisons.push(
      {
        name: `session create+get, concurrency ${concurrency}`,
        concurrency,
        ours: { name: 'sentinel-kit SessionService (durability primary)', operation: ours(fast) },
        peers: [{ name: 'ioredis SET EX + GET', operation: handWritten(false) }],
      },
      {
        name: `session create+get, durable, concurrency ${concurrency}`,
        concurrency,
        ours: { name: 'sentinel-kit SessionService (durability replicated)', operation: ours(durable) },
        peers: [{ name: 'ioredis SET EX + WAIT 1 + GET', operation: handWritten(true) }],
      },
    );
  }
  return {
    comparisons,
    close: async () => {
      raw.disconnect();
      await Promise.all([durableApp.close(), fastApp.close()]);
    },
  };
}
