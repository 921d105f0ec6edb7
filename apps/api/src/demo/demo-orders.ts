import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RedisExecutor, RedisKeyspace } from '@sentinel-kit/redis';
import type { NewOrder, Order } from './order.schemas';

/** One stored order: what was answered, and the key of the request that made it. */
export interface StoredOrder extends Order {
  idempotencyKey: string;
  createdAt: string;
}

/**
 * The demo's orders, in one Redis hash (`demo-orders`, order id → JSON), on the primary and never
 * in memory: an order is shared state.
 */
@Injectable()
export class DemoOrders {
  private readonly key: string;

  constructor(
    private readonly executor: RedisExecutor,
    keyspace: RedisKeyspace,
  ) {
    this.key = keyspace.key('demo-orders');
  }

  /**
   * Stores the order of the request with `idempotencyKey`. Its id is derived from the key, so that
   * running the request again (after its claim was lost with the instance running it) writes the
   * same order instead of a second one.
   * @throws the executor's typed errors (mapped to 503 by the app).
   */
  async create(order: NewOrder, idempotencyKey: string): Promise<Order> {
    const orderId = createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 22);
    const created: StoredOrder = { orderId, ...order, idempotencyKey, createdAt: new Date().toISOString() };
    await this.executor.write({
      name: 'demo.order',
      // The same order id and value again: sent twice, still one order.
      idempotent: true,
      redis: (client) => client.hset(this.key, created.orderId, JSON.stringify(created)),
    });
    return { orderId: created.orderId, item: created.item, qty: created.qty };
  }
}
