export default {
  displayName: 'payment-processor',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/payment-processor',
};
