import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { IDEMPOTENCY_TTL_RANGE } from './idempotency-options';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IDEMPOTENT_ROUTE, type IdempotentOptions } from './idempotent-route';

/**
 * Makes a route idempotent under the `Idempotency-Key` header (IETF draft
 * `draft-ietf-httpapi-idempotency-key-header`): the first request with a key runs, and its answer
 * (status, body, the module's `replayedHeaders`) is stored; a repeat of the same request (method,
 * path and body) gets that answer again, on any instance, with `Idempotency-Replayed: true`. A
 * repeat while the first still runs gets 409, the same key with another request 422, no key 400
 * (unless `required: false`). A request that fails (throws) gives its key back. Needs
 * `IdempotencyModule`.
 *
 * @example
 * @Post('orders')
 * @Idempotent({ ttlMs: 3_600_000 })
 * create(@Body() order: NewOrder) { … }
 */
export function Idempotent(options: IdempotentOptions = {}): MethodDecorator & ClassDecorator {
  const { ttlMs } = options;
  if (
    ttlMs !== undefined &&
    (!Number.isInteger(ttlMs) || ttlMs < IDEMPOTENCY_TTL_RANGE.min || ttlMs > IDEMPOTENCY_TTL_RANGE.max)
  ) {
    throw new RangeError(
      `@Idempotent ttlMs must be an integer from ${IDEMPOTENCY_TTL_RANGE.min} to ${IDEMPOTENCY_TTL_RANGE.max}, got ${ttlMs}`,
    );
  }
  return applyDecorators(
    SetMetadata(IDEMPOTENT_ROUTE, { required: true, ...options }),
    UseInterceptors(IdempotencyInterceptor),
  );
}
