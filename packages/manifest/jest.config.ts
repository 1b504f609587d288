/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'manifest',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/manifest',
};
