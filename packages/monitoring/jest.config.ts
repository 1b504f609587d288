export default {
  displayName: 'monitoring',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/monitoring',
};
