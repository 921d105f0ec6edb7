/**
 * `npm run pack`: builds the publishable packages (`@sentinel-kit/redis`, `/session`, `/rate-limit`,
 * `/testing`) from `libs/<lib>/` and writes their tarballs to `dist/packages/`, or to the directory
 * given as `--out <dir>` (the consumer tests pack into a directory of their own, which no
 * `nest build` of the suite's other tests can delete).
 *
 * Each lib's `package.json` is its manifest, without a version: the version is the root
 * `package.json`'s, stamped here into each package and into the `<version>` peer ranges of the
 * siblings on `@sentinel-kit/redis` (the libraries are released together). The entry files follow
 * from the manifest's `exports` (`./dist/health-entry.js` is built from `src/health-entry.ts`). A lib
 * is compiled on its own, with declarations, against its siblings' built declarations, never their
 * sources: what a consumer's compiler sees.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const DEFAULT_OUT = join(ROOT, 'dist', 'packages');
const OUT = outDirectory(process.argv.slice(2));
/**
 * Where the packages are put together: inside the repository, so that their declarations resolve
 * `ioredis` and the other peers from its node_modules, and outside dist/, which `nest build` empties.
 */
const STAGE_PARENT = join(ROOT, 'node_modules', '.cache');
/** In dependency order: a lib is built after the ones it imports. */
const LIBS = ['redis', 'session', 'rate-limit', 'testing'];
const VERSION_PLACEHOLDER = '<version>';

function outDirectory(args: string[]): string {
  const at = args.indexOf('--out');
  if (at < 0) return DEFAULT_OUT;
  if (!args[at + 1]) throw new Error('--out needs a directory');
  return resolve(args[at + 1]);
}

interface Manifest {
  name: string;
  version?: string;
  exports: Record<string, string | { types: string; default: string }>;
  peerDependencies?: Record<string, string>;
  [field: string]: unknown;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** `./dist/health-entry.js` → `health-entry`, for each code entry of the manifest. */
function entryNames(manifest: Manifest): string[] {
  return Object.values(manifest.exports)
    .filter((target) => typeof target === 'object')
    .map((target) => /^\.\/dist\/(.+)\.js$/.exec(target.default)![1]);
}

/** The manifest as published: the release version, and the same version for sibling peers. */
function stamp(manifest: Manifest, version: string): Manifest {
  const peers = { ...manifest.peerDependencies };
  for (const [name, range] of Object.entries(peers)) {
    if (range === VERSION_PLACEHOLDER) peers[name] = version;
  }
  const { name, ...rest } = manifest;
  return { name, version, ...rest, peerDependencies: peers };
}

/** `@sentinel-kit/redis/health` → its built declarations, for every entry of every lib built so far. */
function builtPaths(built: Map<string, Manifest>, stage: string): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const [lib, manifest] of built) {
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target !== 'object') continue;
      paths[join(manifest.name, subpath)] = [join(stage, lib, target.types)];
    }
  }
  return paths;
}

function compile(lib: string, manifest: Manifest, built: Map<string, Manifest>, stage: string): void {
  const source = join(ROOT, 'libs', lib, 'src');
  const tsconfig = join(stage, `tsconfig.${lib}.json`);
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: {
        rootDir: source,
        outDir: join(stage, lib, 'dist'),
        declaration: true,
        sourceMap: false,
        types: ['node'],
        paths: builtPaths(built, stage),
      },
      files: entryNames(manifest).map((entry) => join(source, `${entry}.ts`)),
      // The lib's ambient declarations (untyped dependencies), which no entry imports.
      include: [join(source, '**/*.d.ts')],
    }),
  );
  execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', tsconfig], { stdio: 'inherit' });
}

function main(): void {
  const { version } = readJson<{ version: string }>(join(ROOT, 'package.json'));
  // dist/packages holds only tarballs of earlier packs; a directory given with --out is left as it is.
  if (OUT === DEFAULT_OUT) rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  mkdirSync(STAGE_PARENT, { recursive: true });
  const stage = mkdtempSync(join(STAGE_PARENT, 'sentinel-kit-pack-'));
  try {
    const built = new Map<string, Manifest>();
    for (const lib of LIBS) {
      const manifest = readJson<Manifest>(join(ROOT, 'libs', lib, 'package.json'));
      if (manifest.version !== undefined) throw new Error(`libs/${lib}/package.json: no version; it is the root's`);
      compile(lib, manifest, built, stage);
      const dir = join(stage, lib);
      writeFileSync(join(dir, 'package.json'), `${JSON.stringify(stamp(manifest, version), null, 2)}\n`);
      for (const file of ['README.md', 'CHANGELOG.md']) copyFileSync(join(ROOT, 'libs', lib, file), join(dir, file));
      copyFileSync(join(ROOT, 'LICENSE'), join(dir, 'LICENSE'));
      const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', OUT], {
        cwd: dir,
        encoding: 'utf8',
      });
      process.stdout.write(`${join(OUT, tarball.trim())}\n`);
      built.set(lib, manifest);
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

main();
