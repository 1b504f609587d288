export default {
  displayName: 'networking',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/networking',
};
