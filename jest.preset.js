const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  // Jest's node environment, but Pulumi's own stack captures (one per promise) skip Jest's source-mapping formatter:
  // mapping them was most of a Pulumi test's CPU. Every other error keeps Jest's mapped frames.
  testEnvironment: require('node:path').join(__dirname, 'tools', 'pulumi-testing', 'src', 'jestEnvironment.ts'),
  // Pulumi's gRPC/protobuf modules keep globals (`google`, the async local store) alive across test files in a worker;
  // Jest 30's soft cleanup only warns about them. Off: one worker per project and short runs keep memory bounded.
  testEnvironmentOptions: { ...nxPreset.testEnvironmentOptions, globalsCleanup: 'off' },
  // 2-core machines: keep each project's Jest to one worker; Nx runs two projects side by side.
  maxWorkers: 1,
  // Pulumi mocks and embedded PostgreSQL set-ups take seconds; Jest's 5 s default fails them on a loaded CI machine.
  testTimeout: 30_000,
  // Transpile only (SWC, as Nx generates): the `typecheck` target type-checks sources and tests with tsc, so Jest does
  // not type-check each file again (that was most of a test run's time).
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022', keepClassNames: true },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  // tests/docs and tests/e2e run in targets of their own (`docs`, `e2e`: tools/nx-plugin/src/testFolders.ts): `test`
  // hashes no README, and the tests that run Nx in a copy of the workspace run beside the rest on a second core.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/docs/', '<rootDir>/tests/e2e/'],
};
