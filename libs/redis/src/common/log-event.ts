/** Values of a structured log line's fields; `null`/`undefined` fields are left out. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/**
 * One structured log line: `event=<name> key=value … | <text for people>`. Values with spaces or
 * quotes are quoted. Every state change of the Redis layer is logged this way, once, so logs can
 * be searched by event and field; never per request, never with a secret.
 *
 * @example
 * logEvent('redis.switch-master', { from: '10.0.0.1:6379', to: '10.0.0.2:6379', durationMs: 1180 }, 'primary moved')
 * // event=redis.switch-master from=10.0.0.1:6379 to=10.0.0.2:6379 durationMs=1180 | primary moved
 */
export function logEvent(name: string, fields: LogFields, text: string): string {
  const parts = [`event=${name}`];
  for (const [key, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    const shown = String(value);
    parts.push(`${key}=${/[\s"=|]/.test(shown) || shown === '' ? JSON.stringify(shown) : shown}`);
  }
  return `${parts.join(' ')} | ${text}`;
}
