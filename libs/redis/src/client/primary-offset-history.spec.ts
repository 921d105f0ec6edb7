import { PrimaryOffsetHistory } from './primary-offset-history';

describe('PrimaryOffsetHistory', () => {
  it('knows nothing before the first reading', () => {
    expect(new PrimaryOffsetHistory(5).lagMs(100, 1000)).toBeNull();
  });

  it('says 0 for a replica that has what the primary had at the latest reading, or more', () => {
    const history = new PrimaryOffsetHistory(5);
    history.record(0, 100);
    history.record(500, 200);
    expect(history.lagMs(200, 600)).toBe(0);
    expect(history.lagMs(250, 600)).toBe(0);
  });

  it('measures from the first reading the replica has not caught up with', () => {
    const history = new PrimaryOffsetHistory(10);
    history.record(0, 100);
    history.record(500, 200);
    history.record(1000, 300);
    history.record(1500, 400);
    // The replica stopped at 150: the primary was past it at t=500.
    expect(history.lagMs(150, 1600)).toBe(1100);
    expect(history.lagMs(100, 1600)).toBe(1100);
    expect(history.lagMs(99, 1600)).toBe(1600);
  });

  it('keeps a bounded window, whose oldest reading then gives a lower bound', () => {
    const history = new PrimaryOffsetHistory(2);
    history.record(0, 100);
    history.record(500, 200);
    history.record(1000, 300);
    expect(history.lagMs(50, 1200)).toBe(700);
  });

  it('starts over when the offset goes back (a new primary or a restart)', () => {
    const history = new PrimaryOffsetHistory(5);
    history.record(0, 1000);
    history.record(500, 10);
    expect(history.lagMs(5, 600)).toBe(100);
  });
});
