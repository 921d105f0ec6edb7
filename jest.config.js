/** Unit tests (`*.spec.ts`, no sockets) and integration tests (`*.int-spec.ts`, `*.e2e-spec.ts`, real redis-server). */
const shared = {
  testEnvironment: 'node',
  rootDir: __dirname,
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

  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

/** @type {import('jest').Config} */
module.exports = {
  // Integration suites start clusters and stage failovers; a unit test never comes close.
  testTimeout: 120_000,
  // Integration suites mostly wait on redis-server processes (each on free ports of its own), so
  // five of them share two cores well (about one core busy on average); Jest's default (cores - 1)
  // would run them one at a time. A sixth worker is the consumer tests' (examples/), which hold it
  // for their whole, niced run.
  maxWorkers: 6,
  testSequencer: '<rootDir>/jest.sequencer.js',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/examples/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,chaos}/**/*.int-spec.ts', '<rootDir>/apps/**/*.e2e-spec.ts'],
    },
    {
      // The core suites of the Redis module again, speaking RESP2 (REDIS_PROTOCOL=2) instead of RESP3:
      // those whose replies differ by protocol (the write hold's mechanics do not).
      ...shared,
      displayName: 'integration-resp2',
      testMatch: ['<rootDir>/libs/redis/test/{standalone,pubsub,dead-socket,sentinel-failover}.int-spec.ts'],
      setupFiles: ['<rootDir>/libs/redis/test/protocol-2.setup.ts'],
    },
    {
      // The packed packages installed in example apps (npm, nest build, a real redis-server).
      ...shared,
      displayName: 'consumers',
      testMatch: ['<rootDir>/examples/*.int-spec.ts'],
    },
  ],
};
