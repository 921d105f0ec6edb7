import { groupsBySlot, oneGroup } from './slot-groups';

describe('key groups for multi-key commands', () => {
  it('keeps every key together outside Cluster mode', () => {
    expect(oneGroup(['a', 'b', 'c'])).toEqual([[0, 1, 2]]);
    expect(oneGroup([])).toEqual([]);
  });

  it('groups positions by hash slot in Cluster mode, honouring hash tags', () => {
    // `foo` and `{foo}bar` share slot 12182; `bar` is in 5061.
    expect(groupsBySlot(['foo', 'bar', '{foo}bar', 'bar'])).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });
});
