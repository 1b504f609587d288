export default {
  displayName: 'tap-stack',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/tap-stack',
};
