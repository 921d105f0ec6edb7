const { createScriptTransformer } = require('@jest/transform');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const { SyntheticModule } = require('node:vm');

/** The sources the suites load: ours, and the NestJS packages that Jest compiles to CommonJS. */
const SOURCE_DIRS = ['apps', 'libs', 'chaos', 'examples'];
const NEST_PACKAGES = ['common', 'core', 'testing', 'terminus', 'config', 'throttler', 'platform-express'];

function filesUnder(dir, wanted, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      // The example apps have dependencies of their own, and the consumer tests build them elsewhere.
      if (!['node_modules', 'dist', 'nest11-cjs', 'nest12-esm'].includes(entry.name)) filesUnder(path, wanted, found);
    } else if (wanted(path)) {
      found.push(path);
    }
  }
  return found;
}

/**
 * Jest's `globalSetup`: compiles every source file the suites load into Jest's cache, once, before
 * the workers start. Without it, on a fresh machine each of the six workers compiled NestJS and the
 * libraries for itself (the unit suites: 86 s of CPU cold against 52–54 s after this, which takes
 * about 11 s). The options are those jest-runtime compiles a `require()`d file with, so that the
 * cache keys match; should a Jest release change them, the workers simply compile as before.
 */
module.exports = async function warmTransformCache(globalConfig, projectConfig) {
  if (!projectConfig.cache) return;
  const transformer = await createScriptTransformer(projectConfig);
  const options = {
    isInternalModule: false,
    supportsDynamicImport: typeof SyntheticModule === 'function',
    supportsExportNamespaceFrom: false,
    supportsStaticESM: false,
    supportsTopLevelAwait: false,
    changedFiles: undefined,
    collectCoverage: globalConfig.collectCoverage,
    collectCoverageFrom: globalConfig.collectCoverageFrom,
    coverageProvider: globalConfig.coverageProvider,
    sourcesRelatedToTestsInChangedFiles: undefined,
  };
  const root = projectConfig.rootDir;
  const files = [
    ...SOURCE_DIRS.flatMap((dir) => filesUnder(join(root, dir), (path) => /(?<!\.d)\.ts$/.test(path))),
    ...NEST_PACKAGES.flatMap((name) =>
      filesUnder(join(root, 'node_modules', '@nestjs', name), (path) => path.endsWith('.js')),
    ),
  ];
  for (const file of files) {
    try {
      transformer.transform(file, options);
    } catch {
      // A file that does not compile fails in the suite that loads it, with Jest's own message.
    }
  }
};
