/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'database',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/database',
};
