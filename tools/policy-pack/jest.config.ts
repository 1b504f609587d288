/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'policy-pack',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/policy-pack',
};
