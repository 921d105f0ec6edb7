const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds from a number (already ms) or text such as `500ms`, `60s`, `15m`, `1h`, `1d`.
 * @throws RangeError naming the text when it is not a positive duration.
 */
export function parseDuration(value: number | string): number {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value > 0) return value;
    throw new RangeError(`expected a positive whole number of milliseconds, got ${value}`);
  }
  const match = /^\s*(\d+)\s*(ms|s|m|h|d)\s*$/.exec(value);
  const ms = match ? Number(match[1]) * UNITS[match[2]] : 0;
  if (ms <= 0) throw new RangeError(`expected a duration such as 500ms, 60s, 15m, 1h or 1d, got "${value}"`);
  return ms;
}

/**
 * `POINTS/DURATION`, e.g. `10/60s`, as used by environment variables.
 * @throws RangeError naming the text when malformed.
 */
export function parseRateSpec(text: string): { points: number; durationMs: number } {
  const match = /^\s*(\d+)\s*\/\s*(.+)$/.exec(text);
  const points = match ? Number(match[1]) : 0;
  if (!match || points < 1) throw new RangeError(`expected POINTS/DURATION such as 10/60s, got "${text}"`);
  return { points, durationMs: parseDuration(match[2]) };
}
