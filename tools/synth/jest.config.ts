/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'synth',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/synth',
};
