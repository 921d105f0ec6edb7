import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Cacheable, RedisModule } from '@sentinel-kit/redis';
import type { RedisEndpoint } from '@sentinel-kit/testing';
import Redis from 'ioredis';
import type { BenchSuite, ThroughputComparison } from '../scenario';

/** Distinct keys the calls cycle through, all cached before the rounds. */
const KEYS = 10_000;
const TTL_SECONDS = 3600;

/** What the cached method returns: a small record, as a service would. */
function product(id: number) {
  return { id, name: `product ${id}`, price: id % 100, tags: ['bench'] };
}

/** A service with a cached method, as an app writes it. */
@Injectable()
class Products {
  @Cacheable({
    key: (id: number) => `product:${id}`,
    ttlMs: TTL_SECONDS * 1000,
    tags: (id: number) => [`product:${id % 10}`],
  })
  find(id: number): Promise<ReturnType<typeof product>> {
    return Promise.resolve(product(id));
  }
}

/**
 * A `@Cacheable` method (with a tag) against the cache-aside code people write by hand with ioredis
 * (`GET`, `JSON.parse`, and on a miss the load and a `SET EX`), on warm keys, at concurrency 1 and 50.
 */
export async function cacheableSuite(endpoint: RedisEndpoint): Promise<BenchSuite> {
  const moduleRef = await Test.createTestingModule({
    imports: [RedisModule.forRoot({ host: endpoint.host, port: endpoint.port })],
    providers: [Products],
  }).compile();
  moduleRef.useLogger(false);
  const app = await moduleRef.init();
  const products = app.get(Products);
  const raw = new Redis({ host: endpoint.host, port: endpoint.port });
  const handWritten = async (id: number) => {
    const key = `app:bench-product:${id}`;
    const cached = await raw.get(key);
    if (cached !== null) return JSON.parse(cached) as ReturnType<typeof product>;
    const loaded = product(id);
    await raw.set(key, JSON.stringify(loaded), 'EX', TTL_SECONDS);
    return loaded;
  };
  for (let id = 0; id < KEYS; id += 1) await Promise.all([products.find(id), handWritten(id)]);
  const comparisons = [1, 50].map((concurrency): ThroughputComparison => ({
    name: `cached method, concurrency ${concurrency}`,
    concurrency,
    ours: { name: 'sentinel-kit @Cacheable (with a tag)', operation: (i) => products.find(i % KEYS) },
    peers: [{ name: 'ioredis GET + JSON.parse (cache-aside by hand)', operation: (i) => handWritten(i % KEYS) }],
  }));
  return {
    comparisons,
    close: async () => {
      await app.close();
      raw.disconnect();
    },
  };
}
