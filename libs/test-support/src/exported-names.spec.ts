import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportedNames } from './exported-names';

describe('exportedNames', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-kit-exports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const entry = (text: string) => {
    const path = join(dir, `index-${Math.random().toString(36).slice(2)}.ts`);
    writeFileSync(path, text);
    return path;
  };

  it('lists values and types, sorted, under their exported names', () => {
    const path = entry(
      `export { b, type A } from './x';\nexport type { C } from './y';\nexport { d as E } from './z';\n`,
    );
    expect(exportedNames(path)).toEqual(['A', 'b', 'C', 'E'].sort());
  });

  it('refuses an export * it could not list', () => {
    expect(() => exportedNames(entry(`export * from './x';\n`))).toThrow(/export \*/);
  });
});
