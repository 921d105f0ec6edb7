import { Registry } from 'prom-client';
import { FixedHistogram, counterReadAtScrape } from './scraped-metrics';

describe('FixedHistogram', () => {
  it('renders cumulative buckets, sum and count per bound label set, like a prom-client histogram', async () => {
    const registry = new Registry();
    const histogram = new FixedHistogram('demo_seconds', 'A demo.', [0.1, 1], registry);
    const fast = histogram.bind({ role: 'fast' });
    histogram.bind({ role: 'idle' });
    for (const value of [0.05, 0.1, 0.5, 3]) fast.observe(value);
    const text = await registry.metrics();
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        '# TYPE demo_seconds histogram',
        'demo_seconds_bucket{role="fast",le="0.1"} 2',
        'demo_seconds_bucket{role="fast",le="1"} 3',
        'demo_seconds_bucket{role="fast",le="+Inf"} 4',
        'demo_seconds_sum{role="fast"} 3.65',
        'demo_seconds_count{role="fast"} 4',
        'demo_seconds_count{role="idle"} 0',
      ]),
    );
    registry.resetMetrics();
    expect(await registry.metrics()).toContain('demo_seconds_count{role="fast"} 0');
  });
});

describe('counterReadAtScrape', () => {
  it('reports the values its owner keeps, per label set, when scraped', async () => {
    const registry = new Registry();
    const counts = new Map([['a', 1]]);
    counterReadAtScrape(registry, { name: 'demo_total', help: 'A demo.', labelNames: ['kind'] }, () =>
      [...counts].map(([kind, n]) => [{ kind }, n]),
    );
    expect(await registry.metrics()).toContain('demo_total{kind="a"} 1');
    counts.set('a', 5).set('b', 2);
    const text = await registry.metrics();
    expect(text).toContain('demo_total{kind="a"} 5');
    expect(text).toContain('demo_total{kind="b"} 2');
  });
});
