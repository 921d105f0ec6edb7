import { Inject } from '@nestjs/common';
import { replaceMethod } from '../common/replace-method';
import type { AcquireOptions } from './redis-lock.service';
import { RedisLockService } from './redis-lock.service';

/** Where `@WithLock` has Nest inject the lock service into the instance. */
const LOCK_SERVICE = Symbol('RedisLockService');

/**
 * Runs the method while holding a lock (see `RedisLockService.withLock`): taken before, renewed
 * while it runs, released after. `name` is the lock's name, or a function of the method's arguments
 * that gives it. Inside, `RedisLockService.heldLock(name)` finds the lock (for its `fence`). Needs
 * `RedisLockModule` (global) and a class that Nest instantiates.
 *
 * @example
 * @WithLock((invoiceId: string) => `invoice:${invoiceId}`, { waitMs: 2000 })
 * async send(invoiceId: string) { … }
 */
export function WithLock<A extends unknown[]>(
  name: string | ((...args: A) => string),
  options: AcquireOptions = {},
): MethodDecorator {
  const injectService = Inject(RedisLockService);
  return (target, property, descriptor: PropertyDescriptor) => {
    injectService(target, LOCK_SERVICE);
    const method = descriptor.value as (...args: A) => Promise<unknown>;
    const locked = function (this: Record<symbol, RedisLockService | undefined>, ...args: A): Promise<unknown> {
      const service = this[LOCK_SERVICE];
      if (!service) {
        return Promise.reject(
          new Error(`@WithLock on ${String(property)}: no RedisLockService (import RedisLockModule)`),
        );
      }
      const lockName = typeof name === 'function' ? name(...args) : name;
      return service.withLock(lockName, () => method.apply(this, args), options);
    };
    replaceMethod(descriptor, locked);
  };
}
