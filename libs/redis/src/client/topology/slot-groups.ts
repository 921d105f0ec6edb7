import calculateSlot from 'cluster-key-slot';

/** Every position of `keys`, as one group: one multi-key command may take them all. */
export function oneGroup(keys: readonly string[]): number[][] {
  return keys.length === 0 ? [] : [keys.map((_, index) => index)];
}

/** The positions of `keys` grouped by cluster slot, in order of first appearance. */
export function groupsBySlot(keys: readonly string[]): number[][] {
  const groups = new Map<number, number[]>();
  keys.forEach((key, index) => {
    const slot = calculateSlot(key);
    const group = groups.get(slot);
    if (group) group.push(index);
    else groups.set(slot, [index]);
  });
  return [...groups.values()];
}
