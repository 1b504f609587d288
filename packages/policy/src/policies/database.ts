import * as rds from '@pulumi/aws/rds';
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import { cidrWithin } from '../cidr';
import { LIMITS, TYPES } from '../constants';
import { resolveStackContext } from '../context';
import { reportUnlessCustomerManagedKey } from '../customerManagedKey';
import { ofType, ofTypeOrNotApplicable, refersTo } from '../references';
import { bool, describe, num, record, str, strings, type Props } from '../values';

export const auroraStorageEncrypted: ResourceValidationPolicy = {
  name: 'aurora-storage-encrypted-cmk',
  description: 'Aurora clusters encrypt storage with a customer-managed KMS key.',
  enforcementLevel: 'mandatory',
  severity: 'critical',
  validateResource: validateResourceOfType(rds.Cluster, (cluster, args, report) => {
    const who = `Aurora cluster ${describe(args.name, cluster as Props)}`;
    if (bool(cluster.storageEncrypted) !== true) {
      report(`${who} does not encrypt its storage. Fix: set storageEncrypted: true and kmsKeyId to a customer-managed KMS key.`);
    }
    reportUnlessCustomerManagedKey(
      str(cluster.kmsKeyId),
      {
        unset: `${who} has no kmsKeyId, so RDS uses the AWS-managed key. Fix: set kmsKeyId to the ARN of a customer-managed KMS key.`,
        awsManaged: (key) => `${who} uses the AWS-managed key ${key}. Fix: set kmsKeyId to the ARN of a customer-managed KMS key.`,
      },
      report,
    );
  }),
};

export const auroraBackupRetention: ResourceValidationPolicy = {
  name: 'aurora-backup-retention',
  description: `Aurora clusters keep automated backups for at least ${LIMITS.minBackupRetentionDays} days.`,
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateResource: validateResourceOfType(rds.Cluster, (cluster, args, report) => {
    const days = num(cluster.backupRetentionPeriod);
    if (days === undefined || days < LIMITS.minBackupRetentionDays) {
      report(
        `Aurora cluster ${describe(args.name, cluster as Props)} keeps backups for ${days ?? 'the default 1'} day(s). ` +
          `Fix: set backupRetentionPeriod to ${LIMITS.minBackupRetentionDays} or more.`,
      );
    }
  }),
};

export const auroraInstanceNotPublic: ResourceValidationPolicy = {
  name: 'aurora-instance-not-public',
  description: 'Aurora cluster instances are not publicly accessible.',
  enforcementLevel: 'mandatory',
  severity: 'critical',
  validateResource: validateResourceOfType(rds.ClusterInstance, (instance, args, report) => {
    const who = `Aurora instance ${describe(args.name, instance as Props)}`;
    const value = bool(instance.publiclyAccessible);
    if (value === true) {
      report(`${who} is publicly accessible. Fix: set publiclyAccessible: false.`);
    } else if (value === undefined) {
      // AWS's default depends on the subnet group; a reviewer wants it stated.
      report(`${who} does not set publiclyAccessible. Fix: set publiclyAccessible: false explicitly.`);
    }
  }),
};

export const auroraPrivateSubnets: StackValidationPolicy = {
  name: 'aurora-private-subnets',
  description: 'Aurora clusters run in a DB subnet group of this stack whose subnets are private.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateStack: (args, report) => {
    const clusters = ofTypeOrNotApplicable(args, TYPES.cluster, 'no Aurora cluster in the stack');
    const subnetGroups = ofType(args.resources, TYPES.subnetGroup);
    const publicSubnets = publicSubnetRefs(args.resources);
    for (const cluster of clusters) {
      const who = `Aurora cluster ${describe(cluster.name, cluster.props)}`;
      const groupName = cluster.props['dbSubnetGroupName'];
      if (!str(groupName)) {
        report(`${who} sets no dbSubnetGroupName, so RDS uses the default VPC's subnets. Fix: create an aws.rds.SubnetGroup of the private subnets and pass its name.`, cluster.urn);
        continue;
      }
      const group = subnetGroups.find((g) => refersTo(groupName, g, cluster, 'dbSubnetGroupName'));
      if (!group) {
        report(`${who} uses subnet group '${String(groupName)}', which this stack does not declare, so its subnets cannot be checked. Fix: declare the aws.rds.SubnetGroup of the private subnets in this stack.`, cluster.urn);
        continue;
      }
      const exposed = strings(group.props['subnetIds']).filter((id) => publicSubnets.some((isPublic) => isPublic(id, group)));
      if (exposed.length > 0) {
        report(`${who} uses subnet group ${describe(group.name, group.props)} with public subnet(s) ${exposed.join(', ')}. Fix: use the private subnet ids only.`, cluster.urn);
      }
    }
  },
};

export const auroraRequiresTls: StackValidationPolicy = {
  name: 'aurora-requires-tls',
  description: 'Aurora PostgreSQL clusters use a cluster parameter group of this stack with rds.force_ssl = 1.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateStack: (args, report) => {
    const clusters = ofTypeOrNotApplicable(args, TYPES.cluster, 'no Aurora PostgreSQL cluster in the stack', (c) => str(c.props['engine']) === 'aurora-postgresql');
    const groups = ofType(args.resources, TYPES.clusterParameterGroup);
    const fix = 'Fix: declare an aws.rds.ClusterParameterGroup with the parameter rds.force_ssl = "1" and pass its name as dbClusterParameterGroupName.';
    for (const cluster of clusters) {
      const who = `Aurora cluster ${describe(cluster.name, cluster.props)}`;
      const groupName = cluster.props['dbClusterParameterGroupName'];
      if (!str(groupName)) {
        report(`${who} uses the default cluster parameter group, which accepts connections without TLS. ${fix}`, cluster.urn);
        continue;
      }
      const group = groups.find((g) => refersTo(groupName, g, cluster, 'dbClusterParameterGroupName'));
      if (!group) {
        report(`${who} uses cluster parameter group '${String(groupName)}', which this stack does not declare, so its TLS setting cannot be checked. ${fix}`, cluster.urn);
        continue;
      }
      const forceSsl = (Array.isArray(group.props['parameters']) ? group.props['parameters'] : [])
        .map((p) => record(p))
        .find((p) => str(p?.['name']) === 'rds.force_ssl');
      if (str(forceSsl?.['value']) !== '1') {
        report(`${who} uses cluster parameter group ${describe(group.name, group.props)} without rds.force_ssl = 1, so clients may connect without TLS. ${fix}`, cluster.urn);
      }
    }
  },
};

/** Predicates for subnet references that are public: subnets mapping public IPs, or listed as public by a stack reference. */
function publicSubnetRefs(resources: readonly PolicyResource[]): ((ref: string, from: PolicyResource) => boolean)[] {
  const checks: ((ref: string, from: PolicyResource) => boolean)[] = [];
  for (const subnet of ofType(resources, TYPES.subnet)) {
    if (bool(subnet.props['mapPublicIpOnLaunch']) === true) {
      checks.push((ref, from) => refersTo(ref, subnet, from, 'subnetIds'));
    }
  }
  for (const reference of ofType(resources, TYPES.stackReference)) {
    const outputs = record(reference.props['outputs']);
    const listed = strings(outputs?.['publicSubnetIds']);
    if (listed.length > 0) checks.push((ref) => listed.includes(ref));
  }
  return checks;
}

export const auroraProdInstanceCount: StackValidationPolicy = {
  name: 'aurora-prod-instance-count',
  description: `In prod, every Aurora cluster has at least ${LIMITS.minProdClusterInstances} instances (a writer and a failover reader).`,
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateStack: (args, report) => {
    const clusters = ofTypeOrNotApplicable(args, TYPES.cluster, 'no Aurora cluster in the stack');
    const context = resolveStackContext(clusters[0].urn, args.stackTags);
    if (!context.prodRules) args.notApplicable(`environment ${context.environment} is not prod`);
    const instances = ofType(args.resources, TYPES.clusterInstance);
    for (const cluster of clusters) {
      const count = instances.filter((i) => refersTo(i.props['clusterIdentifier'], cluster, i, 'clusterIdentifier')).length;
      if (count < LIMITS.minProdClusterInstances) {
        report(
          `Aurora cluster ${describe(cluster.name, cluster.props)} has ${count} instance(s) in ${context.environment ?? 'an environment that cannot be told (treated as prod)'}. ` +
            `Fix: declare at least ${LIMITS.minProdClusterInstances} aws.rds.ClusterInstance resources for it (dbInstanceCount ≥ ${LIMITS.minProdClusterInstances}).`,
          cluster.urn,
        );
      }
    }
  },
};

/** Exported for the network policies: the ports the stack's databases listen on. */
export function databasePorts(resources: readonly PolicyResource[], enginePorts: Readonly<Record<string, number>>): number[] {
  const ports = new Set<number>();
  for (const cluster of ofType(resources, TYPES.cluster)) {
    const port = num(cluster.props['port']) ?? enginePorts[str(cluster.props['engine']) ?? ''];
    if (port !== undefined) ports.add(port);
  }
  return [...ports];
}

/** Exported for tests: is `cidr` inside one of `allowed`? */
export function insideAny(cidr: string, allowed: readonly string[]): boolean {
  return allowed.some((block) => block === cidr || cidrWithin(cidr, block));
}

export const databasePolicies = [
  auroraStorageEncrypted,
  auroraBackupRetention,
  auroraInstanceNotPublic,
  auroraPrivateSubnets,
  auroraRequiresTls,
  auroraProdInstanceCount,
] as const;
