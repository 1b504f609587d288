export default {
  displayName: 'database',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/database',
};
