/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'networking',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/networking',
};
