import { EventStreamLimits } from './event-stream.limits';

describe('EventStreamLimits', () => {
  it('admits streams within the per-client and per-instance caps, and frees a place on release', () => {
    const limits = new EventStreamLimits(3, 2);
    const a1 = limits.admit('a');
    const a2 = limits.admit('a');
    expect(typeof a1).toBe('function');
    expect(typeof a2).toBe('function');
    expect(limits.admit('a')).toEqual({ scope: 'client', limit: 2 });
    const b1 = limits.admit('b');
    expect(typeof b1).toBe('function');
    expect(limits.admit('c')).toEqual({ scope: 'instance', limit: 3 });
    expect(limits.open).toBe(3);
    (a1 as () => void)();
    (a1 as () => void)(); // a second release changes nothing
    expect(limits.open).toBe(2);
    expect(typeof limits.admit('a')).toBe('function');
    expect(limits.admit('c')).toEqual({ scope: 'instance', limit: 3 });
  });
});
