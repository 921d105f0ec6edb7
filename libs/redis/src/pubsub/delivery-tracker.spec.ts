import { DeliveryTracker } from './delivery-tracker';

describe('DeliveryTracker', () => {
  it('delivers in-order messages and reports a hole in the sequence once, with its size', () => {
    const tracker = new DeliveryTracker();
    expect(tracker.accept('a', 4)).toEqual({ deliver: true });
    expect(tracker.accept('a', 5)).toEqual({ deliver: true });
    expect(tracker.accept('a', 9)).toEqual({ deliver: true, missed: { afterSequence: 5, count: 3 } });
    expect(tracker.accept('b', 1)).toEqual({ deliver: true });
  });

  it('drops duplicates and still delivers a late arrival', () => {
    const tracker = new DeliveryTracker();
    tracker.accept('a', 1);
    tracker.accept('a', 3);
    expect(tracker.accept('a', 3)).toEqual({ deliver: false });
    expect(tracker.accept('a', 2)).toEqual({ deliver: true });
    expect(tracker.accept('a', 2)).toEqual({ deliver: false });
  });

  it('forgets the oldest origin beyond its bound', () => {
    const tracker = new DeliveryTracker(2);
    tracker.accept('a', 1);
    tracker.accept('b', 1);
    tracker.accept('c', 1);
    // "a" was forgotten: its next message starts afresh instead of being a duplicate.
    expect(tracker.accept('a', 1)).toEqual({ deliver: true });
    expect(tracker.accept('c', 1)).toEqual({ deliver: false });
  });
});
