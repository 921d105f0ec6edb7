/** How one route treats the `Idempotency-Key` header. */
export interface IdempotentOptions {
  /** How long its keys are remembered. @default the module's `ttlMs` (24 h) */
  ttlMs?: number;
  /** Answer 400 to a request without the header; false runs such a request as usual. @default true */
  required?: boolean;
}

/** Where `@Idempotent` records a route's {@link IdempotentOptions}. */
export const IDEMPOTENT_ROUTE = Symbol('IDEMPOTENT_ROUTE');
