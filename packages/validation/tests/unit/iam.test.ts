import { VPC_NETWORK_INTERFACE_ACTIONS } from '../../src';

describe('VPC_NETWORK_INTERFACE_ACTIONS', () => {
  it('names each EC2 network-interface action once, never by wildcard', () => {
    // Prepare
    const actions: readonly string[] = VPC_NETWORK_INTERFACE_ACTIONS;

    // Act
    const unique = new Set(actions);

    // Assess
    expect(unique.size).toBe(actions.length);
    for (const action of actions) {
      expect(action).toMatch(/^ec2:[A-Za-z]+$/);
    }
    expect(actions).toContain('ec2:CreateNetworkInterface');
    expect(actions).toContain('ec2:DeleteNetworkInterface');
  });

});
