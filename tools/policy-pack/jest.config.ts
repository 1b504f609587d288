export default {
  displayName: 'policy-pack',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/policy-pack',
};
