export default {
  displayName: 'synth',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/synth',
};
