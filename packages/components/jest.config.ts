export default {
  displayName: 'components',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/components',
};
