/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'components',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/components',
  // Composing whole stacks under mocks takes seconds, more on a loaded CI machine.
  testTimeout: 60_000,
};
