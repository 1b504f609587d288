/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'policy',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/policy',
};
