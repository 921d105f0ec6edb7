import { Body, Controller, Headers, Post } from '@nestjs/common';
import { Idempotent } from '@sentinel-kit/redis/idempotency';
import { ZodBodyPipe } from '../common/zod-body.pipe';
import { DemoOrders } from './demo-orders';
import { newOrderSchema, type NewOrder, type Order } from './order.schemas';

/** `POST /demo/orders`: an order made at most once per `Idempotency-Key`, whatever the retries. */
@Controller('demo/orders')
export class DemoOrdersController {
  constructor(private readonly orders: DemoOrders) {}

  /**
   * 201 `{ orderId, item, qty }`. Requires `Idempotency-Key` (400 without); a repeat of the same
   * request replays the answer (`Idempotency-Replayed: true`), on any instance; 409 while the first
   * still runs, 422 for the same key with another body, 400 for a bad body, 503 while Redis cannot
   * answer (the order is then not made).
   */
  @Post()
  @Idempotent()
  create(
    @Body(new ZodBodyPipe(newOrderSchema)) order: NewOrder,
    @Headers('idempotency-key') idempotencyKey: string,
  ): Promise<Order> {
    return this.orders.create(order, idempotencyKey);
  }
}
