/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'nx-plugin',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/nx-plugin',
};
