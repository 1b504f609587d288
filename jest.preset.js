const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  // Pulumi's gRPC/protobuf modules keep globals (`google`, the async local store) alive across test files in a worker;
  // Jest 30's soft cleanup only warns about them. Off: one worker per project and short runs keep memory bounded.
  testEnvironmentOptions: { ...nxPreset.testEnvironmentOptions, globalsCleanup: 'off' },
  // 2-core machines: keep each project's Jest to one worker; Nx runs two projects side by side.
  maxWorkers: 1,
  // Pulumi mocks and embedded PostgreSQL set-ups take seconds; Jest's 5 s default fails them on a loaded CI machine.
  testTimeout: 30_000,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', diagnostics: { warnOnly: false } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  // tests/docs read READMEs: the inferred `docs` target runs them (tools/nx-plugin/src/docs.ts), so `test` hashes no README.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/docs/'],
};
