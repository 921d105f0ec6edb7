import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runtimeImports } from './runtime-imports';

/**
 * Each lib's `package.json` is the manifest `npm run pack` publishes: it must declare what its code
 * loads, keep optional peers out of the main entry, and take versions from the root (`<version>`
 * and the root's dependency ranges), so that nothing drifts.
 */
const ROOT = join(__dirname, '..', '..', '..');
const LIBS = ['redis', 'session', 'rate-limit', 'testing'];
const REQUIRED_PEERS = ['@nestjs/common', '@nestjs/core', 'ioredis', 'reflect-metadata', 'rxjs'];

interface Manifest {
  name: string;
  version?: string;
  license: string;
  engines: { node: string };
  files: string[];
  exports: Record<string, string | { types: string; default: string }>;
  dependencies?: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional: boolean }>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const rootManifest = readJson<{ engines: { node: string }; dependencies: Record<string, string> }>(
  join(ROOT, 'package.json'),
);

describe.each(LIBS)('libs/%s/package.json', (lib) => {
  const manifest = readJson<Manifest>(join(ROOT, 'libs', lib, 'package.json'));
  const optional = Object.keys(manifest.peerDependenciesMeta ?? {}).filter(
    (name) => manifest.peerDependenciesMeta![name].optional,
  );
  const entries = Object.entries(manifest.exports).flatMap(([subpath, target]) =>
    typeof target === 'object' ? [{ subpath, file: target.default.replace(/^\.\/dist\/(.+)\.js$/, '$1.ts') }] : [],
  );

  it('names the package and leaves the version to the root', () => {
    expect(manifest).toMatchObject({ name: `@sentinel-kit/${lib}`, license: 'MIT', engines: rootManifest.engines });
    expect(manifest.version).toBeUndefined();
    expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'README.md', 'CHANGELOG.md', 'LICENSE']));
  });

  it('asks for NestJS 11 or 12, ioredis, rxjs and reflect-metadata, and the sibling of its own version', () => {
    for (const peer of REQUIRED_PEERS) expect([peer, optional.includes(peer)]).toEqual([peer, false]);
    expect(manifest.peerDependencies['@nestjs/common']).toBe('^11.0.0 || ^12.0.0');
    expect(manifest.peerDependencies['@nestjs/core']).toBe('^11.0.0 || ^12.0.0');
    if (lib !== 'redis') expect(manifest.peerDependencies['@sentinel-kit/redis']).toBe('<version>');
  });

  it('pins its dependencies as the root does', () => {
    for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
      expect([name, range]).toEqual([name, rootManifest.dependencies[name]]);
    }
  });

  it.each(entries.map(({ subpath, file }) => [subpath, file]))(
    'entry %s loads only what the manifest declares, and no optional peer from the main entry',
    (subpath, file) => {
      const path = join(ROOT, 'libs', lib, 'src', file);
      expect(existsSync(path)).toBe(true);
      const declared = [
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies).filter((name) => subpath !== '.' || !optional.includes(name)),
        manifest.name,
      ];
      expect(runtimeImports(path).filter((name) => !declared.includes(name))).toEqual([]);
    },
  );
});
