import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { isOpenCidr } from '../cidr';
import { ENGINE_PORTS, PRIVATE_IPV4_RANGES, TYPES } from '../constants';
import { ofType } from '../references';
import { bool, describe, list, num, record, str, strings, type Props } from '../values';
import { databasePorts, insideAny } from './database';

/** One ingress permission, whichever resource declares it. */
export interface IngressEntry {
  label: string;
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrs: string[];
  /** A security group (or self) is the source. */
  fromSecurityGroup: boolean;
  prefixLists: string[];
}

/** The ingress permissions a resource declares (inline on a security group, or as a rule resource). */
export function ingressEntries(type: string, name: string, props: Props): IngressEntry[] {
  const who = describe(name, props);
  switch (type) {
    case TYPES.securityGroup:
      return list(props['ingress']).map((raw, i) => {
        const rule = record(raw) ?? {};
        return {
          label: `Security group ${who} ingress #${i + 1}`,
          protocol: String(rule['protocol'] ?? ''),
          fromPort: num(rule['fromPort']),
          toPort: num(rule['toPort']),
          cidrs: [...strings(rule['cidrBlocks']), ...strings(rule['ipv6CidrBlocks'])],
          fromSecurityGroup: strings(rule['securityGroups']).length > 0 || bool(rule['self']) === true,
          prefixLists: strings(rule['prefixListIds']),
        };
      });
    case TYPES.ingressRule:
      return [
        {
          label: `Security group ingress rule ${who}`,
          protocol: String(props['ipProtocol'] ?? ''),
          fromPort: num(props['fromPort']),
          toPort: num(props['toPort']),
          cidrs: [str(props['cidrIpv4']), str(props['cidrIpv6'])].filter((c): c is string => c !== undefined),
          fromSecurityGroup: str(props['referencedSecurityGroupId']) !== undefined,
          prefixLists: strings(props['prefixListId']),
        },
      ];
    case TYPES.securityGroupRule:
      if (str(props['type']) !== 'ingress') return [];
      return [
        {
          label: `Security group rule ${who}`,
          protocol: String(props['protocol'] ?? ''),
          fromPort: num(props['fromPort']),
          toPort: num(props['toPort']),
          cidrs: [...strings(props['cidrBlocks']), ...strings(props['ipv6CidrBlocks'])],
          fromSecurityGroup: str(props['sourceSecurityGroupId']) !== undefined || bool(props['self']) === true,
          prefixLists: strings(props['prefixListIds']),
        },
      ];
    default:
      return [];
  }
}

/** Does the entry admit TCP traffic to `port`? (`-1` / `all` is every protocol and port.) */
export function coversPort(entry: IngressEntry, port: number): boolean {
  const protocol = entry.protocol.toLowerCase();
  if (protocol === '-1' || protocol === 'all') return true;
  if (protocol !== 'tcp' && protocol !== '6') return false;
  const from = entry.fromPort ?? 0;
  const to = entry.toPort ?? 65535;
  return from <= port && port <= to;
}

const INGRESS_TYPES: readonly string[] = [TYPES.securityGroup, TYPES.ingressRule, TYPES.securityGroupRule];

export const noPublicIngress: ResourceValidationPolicy = {
  name: 'security-group-no-public-ingress',
  description: 'Security groups admit no ingress from 0.0.0.0/0 or ::/0.',
  enforcementLevel: 'mandatory',
  severity: 'critical',
  validateResource: (args, report) => {
    if (!INGRESS_TYPES.includes(args.type)) args.notApplicable('not a security group or ingress rule');
    for (const entry of ingressEntries(args.type, args.name, args.props)) {
      const open = entry.cidrs.filter(isOpenCidr);
      if (open.length > 0) {
        report(`${entry.label} admits ${open.join(' and ')} (the whole internet). Fix: admit the VPC CIDR or a named security group instead.`);
      }
    }
  },
};

/** CIDR blocks of the VPC the stack runs in: VPCs it declares and the `vpcCidr` a networking stack reference exports. */
export function vpcCidrs(resources: readonly PolicyResource[]): string[] {
  const cidrs = ofType(resources, TYPES.vpc).map((vpc) => str(vpc.props['cidrBlock']));
  for (const reference of ofType(resources, TYPES.stackReference)) {
    const outputs = record(reference.props['outputs']) ?? {};
    cidrs.push(str(outputs['vpcCidr']), str(outputs['vpcCidrBlock']));
  }
  return cidrs.filter((c): c is string => c !== undefined);
}

export const databasePortIngress: StackValidationPolicy = {
  name: 'database-port-ingress-sources',
  description:
    'The database port is reachable only from the VPC CIDR or from named security groups (private ranges when the VPC CIDR is not in the stack).',
  enforcementLevel: 'mandatory',
  severity: 'critical',
  validateStack: (args, report) => {
    const ports = databasePorts(args.resources, ENGINE_PORTS);
    if (ports.length === 0) args.notApplicable('no database cluster in the stack');
    const known = vpcCidrs(args.resources);
    // Offline the networking stack reference has no outputs: fall back to "private addresses only".
    const allowed = known.length > 0 ? known : [...PRIVATE_IPV4_RANGES];
    const allowedText = known.length > 0 ? `the VPC CIDR (${known.join(', ')})` : `private ranges (${PRIVATE_IPV4_RANGES.join(', ')})`;
    for (const resource of args.resources) {
      for (const entry of ingressEntries(resource.type, resource.name, resource.props)) {
        const port = ports.find((p) => coversPort(entry, p));
        if (port === undefined || entry.fromSecurityGroup) continue;
        const outside = entry.cidrs.filter((cidr) => !insideAny(cidr, allowed));
        if (outside.length > 0 || entry.prefixLists.length > 0) {
          report(
            `${entry.label} opens database port ${port} to ${[...outside, ...entry.prefixLists].join(', ')}, outside ${allowedText}. ` +
              'Fix: admit the database port only from the VPC CIDR or from the security groups of its clients (referencedSecurityGroupId).',
            resource.urn,
          );
        }
      }
    }
  },
};

export const networkPolicies = [noPublicIngress, databasePortIngress] as const;
