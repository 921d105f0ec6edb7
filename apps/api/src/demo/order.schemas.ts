import { z } from 'zod';

/** Body of `POST /demo/orders`. */
export const newOrderSchema = z.strictObject({
  item: z
    .string('item is required and must be a string')
    .trim()
    .min(1, 'item must not be empty')
    .max(100, 'item must be at most 100 characters'),
  qty: z.int('qty must be an integer').min(1, 'qty must be from 1 to 1000').max(1000, 'qty must be from 1 to 1000'),
});

/** A new order, as posted. */
export type NewOrder = z.output<typeof newOrderSchema>;

/** What `POST /demo/orders` answers with 201. */
export interface Order extends NewOrder {
  orderId: string;
}
