import type { z } from 'zod';

/** How issue paths are named and which values may be shown. */
export interface ConfigIssueNaming {
  /** Option path (`sentinel.sentinels`) → name shown to people (`REDIS_SENTINELS`); the longest matching prefix wins. */
  labels?: Readonly<Record<string, string>>;
  /** Paths whose values are secrets and never shown. */
  secretPaths?: readonly string[];
  /** Paths whose values are shown through this function (e.g. a URL with its credentials removed). */
  redactors?: Readonly<Record<string, (value: string) => string>>;
}

/** Custom issues whose message already quotes the offending value set this param. */
export const VALUE_IN_MESSAGE = 'valueInMessage';

/**
 * Turns zod issues into `NAME: problem, got "value"` lines: one line per issue, the value shown
 * only when it is not a secret.
 */
export function formatConfigIssues(issues: readonly z.core.$ZodIssue[], naming: ConfigIssueNaming = {}): string[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const label = labelFor(path, naming.labels) || '(options)';
    if (issue.code === 'unrecognized_keys') {
      return `${label}: unknown option(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    const showValue =
      !(issue.code === 'custom' && issue.params?.[VALUE_IN_MESSAGE]) &&
      !isUnder(path, naming.secretPaths ?? []) &&
      issue.input !== undefined &&
      typeof issue.input !== 'object';
    const redact = Object.entries(naming.redactors ?? {}).find(([prefix]) => isUnder(path, [prefix]))?.[1];
    const shown = redact ? redact(String(issue.input)) : String(issue.input);
    return showValue ? `${label}: ${issue.message}, got "${shown}"` : `${label}: ${issue.message}`;
  });
}

function labelFor(path: string, labels: Readonly<Record<string, string>> = {}): string {
  const match = Object.keys(labels)
    .filter((prefix) => isUnder(path, [prefix]))
    .sort((a, b) => b.length - a.length)[0];
  return match ? labels[match] : path;
}

function isUnder(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}.`));
}
