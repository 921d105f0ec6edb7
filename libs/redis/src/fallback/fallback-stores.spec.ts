import { FallbackStores } from './fallback-stores';

describe('FallbackStores', () => {
  it('bounds each namespace apart: filling the cache never evicts sessions', () => {
    const stores = new FallbackStores(100, 1024 * 1024);
    stores.of('sessions').set('session:a', '{"userId":"alice"}');
    for (let i = 0; i < 1000; i += 1) stores.of('cache').set(`demo:${i}`, 'value');
    expect(stores.of('cache').size).toBe(100);
    expect(stores.of('sessions').get('session:a')).toBe('{"userId":"alice"}');
    stores.clear();
    expect(stores.of('sessions').size + stores.of('cache').size).toBe(0);
  });
});
