/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'lambda',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/lambda',
};
