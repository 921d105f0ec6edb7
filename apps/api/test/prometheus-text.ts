/** Reading Prometheus' text format and PromQL, for the metrics suite's checks of deploy/. */

/** The series names a scrape declares (`# TYPE`), with a histogram's `_bucket`, `_sum` and `_count`. */
export function declaredNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

/** The metric names a PromQL expression reads: identifiers outside label matchers, ranges, `by (…)` and calls. */
export function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/\b(?:by|without)\s*\([^)]*\)/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/"[^"]*"/g, ' ');
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)].map(([, name]) => name);
}

/** One alerting rule of a rules file. */
export interface AlertRule {
  alert: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** An annotation as Prometheus renders it, for the templates the rules use: `$labels.<name>` and `$value`. */
export function render(template: string, labels: Record<string, string>, value?: number): string {
  return template
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? '')
    .replace(/\{\{ \$value \}\}/g, String(value));
}

/** `name{a="1",b="2"}` → its labels. */
export function labelsOf(series: string): Record<string, string> {
  return Object.fromEntries(
    [...series.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]),
  );
}

/** `name` with `labels`, in the series notation promtool reads. */
export function seriesOf(name: string, labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return pairs.length ? `${name}{${pairs.join(',')}}` : name;
}

/** One sample line of the Prometheus text format: `name{labels} value`. */
const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.]+(?:e[+-]?\d+)?|NaN|[+-]Inf)$/;

/** Parses the exposition text strictly: every line a comment or a sample; returns `name{labels}` → value. */
export function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not Prometheus text: ${line}`);
    samples.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]));
  }
  return samples;
}
