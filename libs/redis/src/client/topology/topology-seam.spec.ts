import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '../../../../..');
/** The library and application sources held to the seam (specs may build options of either mode). */
const SOURCES = ['libs/redis/src', 'libs/session/src', 'libs/rate-limit/src', 'apps/api/src'];
/** Where the mode may be read and sentinel connections touched. */
const ALLOWED = ['libs/redis/src/client/', 'libs/redis/src/options/'];
/** A branch on the mode, or a read of the sentinel connections. */
const TOPOLOGY_KNOWLEDGE =
  /\bmode\s*[!=]==|[!=]==\s*'(?:sentinel|standalone)'|connections\.sentinels\b|\.sentinelGroup\b/;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !/\.(?:int-|e2e-)?spec\.ts$/.test(name))
    .map((name) => join(folder, name));
}

describe('the topology seam', () => {
  it('is the only place outside client/ and options/ that knows the mode or the sentinels', () => {
    const files = SOURCES.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(100);
    const offenders = files
      .filter((file) => !ALLOWED.some((folder) => file.startsWith(folder)))
      .filter((file) => TOPOLOGY_KNOWLEDGE.test(readFileSync(join(ROOT, file), 'utf8')))
      .map((file) => relative('.', file));
    expect(offenders).toEqual([]);
  });

  it('would see a branch on the mode', () => {
    expect(TOPOLOGY_KNOWLEDGE.test("if (options.mode === 'sentinel') {")).toBe(true);
    expect(TOPOLOGY_KNOWLEDGE.test('this.connections.sentinels.map(ping)')).toBe(true);
  });
});
