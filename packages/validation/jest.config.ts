/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'validation',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/validation',
};
