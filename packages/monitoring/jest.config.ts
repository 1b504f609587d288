/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'monitoring',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/monitoring',
};
