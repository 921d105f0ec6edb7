import { BadRequestException } from '@nestjs/common';
import { MAX_JSON_DEPTH, MAX_JSON_KEYS, assertJsonWithinLimits } from './json-limits';

const check = (text: string) => () => assertJsonWithinLimits(Buffer.from(text));

describe('assertJsonWithinLimits', () => {
  it('accepts ordinary bodies, however many brackets and colons their strings hold', () => {
    expect(check('{"a":[1,{"b":"c"}],"d":null}')).not.toThrow();
    expect(check(JSON.stringify({ text: '[[[[:::{{{'.repeat(1000) }))).not.toThrow();
    expect(check(JSON.stringify({ quoted: 'say \\"[[[\\" :' }))).not.toThrow();
    const deepest = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(check(deepest)).not.toThrow();
  });

  it('refuses bodies nested too deep or with too many keys', () => {
    expect(check('['.repeat(45_000) + ']'.repeat(45_000))).toThrow(BadRequestException);
    expect(check('{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1))).toThrow(
      /nested deeper than 32 levels/,
    );
    const many = Object.fromEntries(Array.from({ length: MAX_JSON_KEYS + 1 }, (_, i) => [`k${i}`, i]));
    expect(check(JSON.stringify(many))).toThrow(/more than 1000 keys/);
  });
});
