/** One grant of a lock as its holder saw it: from `acquire` returning to the holder letting go. */
export interface LockGrant {
  name: string;
  fence: number;
  heldFrom: number;
  heldUntil: number;
}

/** What a log of grants shows that a lock must never do. */
export interface LockGrantConflicts {
  /** Two grants of one name held at the same time. */
  overlaps: string[];
  /** A grant whose fence is not higher than the one of the grant before it (of the same name). */
  fencesOutOfOrder: string[];
}

/** Checks a log of grants (clock readings of one process): per name, in the order they were held. */
export function lockGrantConflicts(grants: readonly LockGrant[]): LockGrantConflicts {
  const conflicts: LockGrantConflicts = { overlaps: [], fencesOutOfOrder: [] };
  for (const name of new Set(grants.map((grant) => grant.name))) {
    const held = grants.filter((grant) => grant.name === name).sort((a, b) => a.heldFrom - b.heldFrom);
    for (let i = 1; i < held.length; i += 1) {
      const [before, after] = [held[i - 1], held[i]];
      if (after.heldFrom < before.heldUntil) conflicts.overlaps.push(`${name}: ${before.fence} and ${after.fence}`);
      if (after.fence <= before.fence) conflicts.fencesOutOfOrder.push(`${name}: ${before.fence} then ${after.fence}`);
    }
  }
  return conflicts;
}
