/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'pulumi-testing',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/pulumi-testing',
};
