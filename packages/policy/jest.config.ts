export default {
  displayName: 'policy',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/policy',
};
