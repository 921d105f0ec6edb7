import { BadRequestException } from '@nestjs/common';

/** Deepest nesting of arrays and objects a JSON body may have. */
export const MAX_JSON_DEPTH = 32;
/** Most object keys, in all, a JSON body may have. */
export const MAX_JSON_KEYS = 1000;

const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * Refuses a JSON body nested deeper than {@link MAX_JSON_DEPTH} or with more than
 * {@link MAX_JSON_KEYS} object keys, in one linear pass over the raw bytes before it is parsed
 * (deep nesting would otherwise overflow the stack of whatever walks the value, a 500). Outside
 * strings, each `:` in valid JSON follows exactly one object key.
 * @throws BadRequestException (400 with a JSON body).
 */
export function assertJsonWithinLimits(body: Buffer): void {
  let depth = 0;
  let keys = 0;
  let inString = false;
  for (let i = 0; i < body.length; i += 1) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (OPEN.has(byte)) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) throw tooComplex(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (CLOSE.has(byte)) {
      depth -= 1;
    } else if (byte === COLON) {
      keys += 1;
      if (keys > MAX_JSON_KEYS) throw tooComplex(`more than ${MAX_JSON_KEYS} keys`);
    }
  }
}

function tooComplex(problem: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `the JSON body is ${problem}` });
}
