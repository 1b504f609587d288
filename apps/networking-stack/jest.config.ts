export default {
  displayName: 'networking-stack',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/networking-stack',
};
