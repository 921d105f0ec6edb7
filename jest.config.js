/**
 * Unit tests (`*.spec.ts`, no sockets), integration suites (`*.int-spec.ts`, `*.e2e-spec.ts`, real
 * redis-server; libs/redis/test/resp2/ runs the core suites again over RESP2) and the consumer
 * tests (examples/: the packed packages installed in example apps), in one Jest project: a project
 * transforms every file it loads for itself, into a cache of its own, and on a fresh machine four
 * projects transformed NestJS and the libraries four times.
 *
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: [
    '<rootDir>/{apps,libs}/**/*.spec.ts',
    '<rootDir>/examples/*.spec.ts',
    '<rootDir>/{apps,libs,chaos}/**/*.int-spec.ts',
    '<rootDir>/apps/**/*.e2e-spec.ts',
    '<rootDir>/examples/*.int-spec.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Integration suites start clusters and stage failovers; a unit test never comes close.
  testTimeout: 120_000,
  // Integration suites mostly wait on redis-server processes (each on free ports of its own), so
  // five of them share two cores; Jest's default (cores - 1) would run them one at a time. A sixth worker is the consumer tests' (examples/), which hold it
  // for their whole, niced run.
  maxWorkers: 6,
  testSequencer: '<rootDir>/jest.sequencer.js',
  // Compiles the sources into Jest's cache once, so that the six workers do not each compile them.
  globalSetup: '<rootDir>/jest.warm-cache.js',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    '^.+\\.js$': [
      'babel-jest',
      {
        babelrc: false,
        configFile: false,
        plugins: [
          ['babel-plugin-transform-import-meta', { module: 'ES6' }],
          '@babel/plugin-transform-modules-commonjs',
        ],
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The package entries, as in tsconfig.json: `.` is the lib's index, a subpath its `<name>-entry` file.
  moduleNameMapper: {
    '^@sentinel-kit/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@sentinel-kit/([a-z-]+)/([a-z-]+)$': '<rootDir>/libs/$1/src/$2-entry',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
