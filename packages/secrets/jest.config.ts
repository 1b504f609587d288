export default {
  displayName: 'secrets',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/secrets',
};
