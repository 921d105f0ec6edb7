import { reconnectDelay } from './reconnect-policy';

describe('reconnectDelay', () => {
  it('doubles from 50 ms to a ceiling of 1 s, each delay between half and all of its step', () => {
    const steps = [50, 100, 200, 400, 800, 1000, 1000];
    steps.forEach((step, index) => {
      expect(reconnectDelay(index + 1, () => 0)).toBe(step / 2);
      expect(reconnectDelay(index + 1, () => 0.999_999)).toBe(step);
    });
    expect(reconnectDelay(1000, () => 0.5)).toBe(750);
  });

  it('spreads clients that lost the same node', () => {
    const delays = new Set(Array.from({ length: 100 }, () => reconnectDelay(6)));
    expect(delays.size).toBeGreaterThan(20);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(1000);
    }
  });
});
