/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'blocks',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/blocks',
};
