/** Prints a measured figure into the test output as a `[measure]` line (figures for notes and docs). */
export function reportMeasure(label: string, value: number, unit = 'ms'): void {
  process.stderr.write(`[measure] ${label}: ${Math.round(value)} ${unit}\n`);
}
