import { cidrWithin, databasePortIngress, isOpenCidr, noPublicIngress, TYPES } from '../../src';
import { find, loadFixture, record, runResource, runStack } from '../helpers';

describe('cidr helpers', () => {
  it.each([
    ['10.0.1.0/24', '10.0.0.0/16', true],
    ['10.0.0.0/16', '10.0.0.0/16', true],
    ['10.1.0.0/16', '10.0.0.0/16', false],
    ['10.0.0.0/8', '10.0.0.0/16', false],
    ['172.20.0.0/16', '172.16.0.0/12', true],
    ['nonsense', '10.0.0.0/8', false],
  ])('%s within %s: %s', (inner, outer, expected) => {
    expect(cidrWithin(inner, outer)).toBe(expected);
  });

  it('treats every /0 as open', () => {
    expect(['0.0.0.0/0', '::/0', '10.0.0.0/0', '10.0.0.0/8'].map(isOpenCidr)).toEqual([true, true, true, false]);
  });
});

describe('security-group-no-public-ingress', () => {
  it('passes ingress from the VPC CIDR and from a security group', () => {
    // Prepare
    const rule = record(TYPES.ingressRule, 'db-ingress', { securityGroupId: 'sg', cidrIpv4: '10.0.0.0/16', ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 });
    const group = record(TYPES.securityGroup, 'sg', { name: 'aurora-sg-dev-001', ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, securityGroups: ['sg-2'] }] });
    // Act / Assess
    expect(runResource(noPublicIngress, rule).messages).toEqual([]);
    expect(runResource(noPublicIngress, group).messages).toEqual([]);
  });

  it('reports 0.0.0.0/0 on an ingress rule, ::/0 inline on a group and on a legacy SecurityGroupRule', () => {
    // Prepare
    const rule = record(TYPES.ingressRule, 'open', { securityGroupId: 'sg', cidrIpv4: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 443, toPort: 443 });
    const group = record(TYPES.securityGroup, 'web', { name: 'web-sg-dev-001', ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, ipv6CidrBlocks: ['::/0'] }] });
    const legacy = record(TYPES.securityGroupRule, 'ssh', { type: 'ingress', protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'], securityGroupId: 'sg' });
    const egress = record(TYPES.securityGroupRule, 'out', { type: 'egress', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'], securityGroupId: 'sg' });
    // Act / Assess
    expect(runResource(noPublicIngress, rule).messages).toEqual([
      "Security group ingress rule 'open' admits 0.0.0.0/0 (the whole internet). Fix: admit the VPC CIDR or a named security group instead.",
    ]);
    expect(runResource(noPublicIngress, group).messages).toEqual([
      "Security group 'web' (web-sg-dev-001) ingress #1 admits ::/0 (the whole internet). Fix: admit the VPC CIDR or a named security group instead.",
    ]);
    expect(runResource(noPublicIngress, legacy).messages[0]).toContain("Security group rule 'ssh' admits 0.0.0.0/0");
    expect(runResource(noPublicIngress, egress).messages).toEqual([]);
  });
});

describe('database-port-ingress-sources', () => {
  it('passes the fixture: 5432 from the VPC CIDR and from client security groups', () => {
    expect(runStack(databasePortIngress, loadFixture()).messages).toEqual([]);
  });

  it('reports the database port opened to a public address, against private ranges when the VPC CIDR is unknown', () => {
    // Prepare
    const resources = loadFixture();
    find(resources, 'db-ingress-cidr-0').inputs['cidrIpv4'] = '203.0.113.0/24';
    // Act
    const { messages, urns } = runStack(databasePortIngress, resources);
    // Assess
    expect(messages).toEqual([
      "Security group ingress rule 'db-ingress-cidr-0' opens database port 5432 to 203.0.113.0/24, outside private ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16). Fix: admit the database port only from the VPC CIDR or from the security groups of its clients (referencedSecurityGroupId).",
    ]);
    expect(urns).toEqual([find(resources, 'db-ingress-cidr-0').urn]);
  });

  it('checks against the VPC CIDR when the networking stack reference exports it', () => {
    // Prepare: a private range that is not the VPC's
    const resources = loadFixture();
    const reference = resources.find((r) => r.type === TYPES.stackReference);
    if (!reference) throw new Error('fixture has no stack reference');
    reference.outputs = { outputs: { vpcCidr: '10.0.0.0/16' } };
    find(resources, 'db-ingress-cidr-0').inputs['cidrIpv4'] = '192.168.0.0/24';
    // Act
    const { messages } = runStack(databasePortIngress, resources);
    // Assess
    expect(messages[0]).toContain('opens database port 5432 to 192.168.0.0/24, outside the VPC CIDR (10.0.0.0/16)');
  });

  it('reports an all-traffic rule from a CIDR and ignores rules on other ports', () => {
    // Prepare
    const resources = loadFixture();
    resources.push(
      record(TYPES.ingressRule, 'all', { securityGroupId: 'db-sg-id', cidrIpv4: '198.51.100.7/32', ipProtocol: '-1' }),
      record(TYPES.ingressRule, 'https', { securityGroupId: 'x', cidrIpv4: '198.51.100.7/32', ipProtocol: 'tcp', fromPort: 443, toPort: 443 }),
    );
    // Act
    const { messages } = runStack(databasePortIngress, resources);
    // Assess
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain("Security group ingress rule 'all' opens database port 5432 to 198.51.100.7/32");
  });
});
