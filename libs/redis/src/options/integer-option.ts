import { z } from 'zod';

/** An integer option from `min` to `max`, whose error says the range. */
export function integerOption(min: number, max: number) {
  return z
    .int('expected an integer')
    .min(min, `expected an integer from ${min} to ${max}`)
    .max(max, `expected an integer from ${min} to ${max}`);
}
