/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'payment-processor',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/payment-processor',
  // One real PostgreSQL 15 per run; each test file creates its own database.
  globalSetup: '<rootDir>/../../tools/embedded-pg/src/global-setup.mjs',
  globalTeardown: '<rootDir>/../../tools/embedded-pg/src/global-teardown.mjs',
  testTimeout: 60_000,
};
