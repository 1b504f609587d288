/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'embedded-pg',
  preset: '../../jest.preset.js',
  globalSetup: '<rootDir>/src/global-setup.mjs',
  globalTeardown: '<rootDir>/src/global-teardown.mjs',
  coverageDirectory: '../../coverage/tools/embedded-pg',
};
