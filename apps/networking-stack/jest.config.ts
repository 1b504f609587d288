/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'networking-stack',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/networking-stack',
};
