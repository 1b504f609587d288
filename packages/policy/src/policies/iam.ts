import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';
import { TYPES, WILDCARD_RESOURCE_ACTIONS } from '../constants';
import { actionMatches, isWildcardAction, parsePolicyDocument, statementLabel, type IamStatement } from '../iamDocument';
import { describe, list, record, str, strings } from '../values';

/** Types whose `policy` is an identity policy document. */
const POLICY_DOCUMENT_TYPES: readonly string[] = [TYPES.rolePolicy, TYPES.userPolicy, TYPES.groupPolicy, TYPES.iamPolicy];

/** The identity policy documents a resource declares: `policy`, or each of a role's `inlinePolicies`. */
function identityDocuments(args: ResourceValidationArgs): { label: string; document: unknown }[] {
  const who = describe(args.name, args.props);
  if (POLICY_DOCUMENT_TYPES.includes(args.type)) {
    return [{ label: `${args.type.split(':').pop()} ${who}`, document: args.props['policy'] }];
  }
  if (args.type === TYPES.role) {
    return list(args.props['inlinePolicies'])
      .map(record)
      .filter((p) => p !== undefined && p['policy'] !== undefined)
      .map((p) => ({ label: `Role ${who} inline policy '${str(p?.['name']) ?? '(unnamed)'}'`, document: p?.['policy'] }));
  }
  return args.notApplicable('not an IAM identity policy');
}

/**
 * A resource validation over every Allow statement of every identity policy the resource declares. Documents that
 * cannot be parsed are reported (a policy nobody can read is not a policy anybody reviewed).
 */
function checkAllowStatements(
  check: (statement: IamStatement, where: string, report: ReportViolation) => void,
): (args: ResourceValidationArgs, report: ReportViolation) => void {
  return (args, report) => {
    for (const { label, document } of identityDocuments(args)) {
      if (document === undefined || document === null) continue;
      const parsed = parsePolicyDocument(document);
      if (!parsed.ok) {
        report(`${label} cannot be checked: ${parsed.reason}. Fix: give the policy as a JSON document.`);
        continue;
      }
      parsed.statements.forEach((statement, i) => {
        if (statement.effect === 'Allow') check(statement, `${label} ${statementLabel(statement, i)}`, report);
      });
    }
  };
}

export const iamNoManagedPolicyAttachments: ResourceValidationPolicy = {
  name: 'iam-no-managed-policy-attachments',
  description: 'IAM permissions are inline and least-privilege: no managed policy attachments.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateResource: (args, report) => {
    const who = describe(args.name, args.props);
    const fix = 'Fix: grant the exact actions on the exact ARNs in an inline policy (aws.iam.RolePolicy) instead.';
    switch (args.type) {
      case TYPES.rolePolicyAttachment:
      case TYPES.policyAttachment:
      case TYPES.userPolicyAttachment:
      case TYPES.groupPolicyAttachment:
        report(`${args.type.split(':').pop()} ${who} attaches managed policy ${String(args.props['policyArn'])}. ${fix}`);
        return;
      case TYPES.rolePolicyAttachmentsExclusive: {
        const arns = strings(args.props['policyArns']);
        if (arns.length > 0) report(`RolePolicyAttachmentsExclusive ${who} attaches managed policies ${arns.join(', ')}. ${fix}`);
        return;
      }
      case TYPES.role: {
        const arns = strings(args.props['managedPolicyArns']);
        if (arns.length > 0) report(`Role ${who} attaches managed policies ${arns.join(', ')} through managedPolicyArns. ${fix}`);
        return;
      }
      default:
        args.notApplicable('not an IAM role or policy attachment');
    }
  },
};

export const iamNoWildcardActions: ResourceValidationPolicy = {
  name: 'iam-no-wildcard-actions',
  description: 'IAM identity policies allow named actions only: no "*", no "service:*", no NotAction.',
  enforcementLevel: 'mandatory',
  severity: 'critical',
  validateResource: checkAllowStatements((statement, where, report) => {
    const wild = statement.actions.filter(isWildcardAction);
    if (wild.length > 0) {
      report(`${where} allows wildcard action(s) ${wild.map((a) => `"${a}"`).join(', ')}. Fix: list the exact actions the code calls.`);
    }
    if (statement.notActions.length > 0) {
      report(`${where} allows every action except ${statement.notActions.join(', ')} (NotAction with Allow). Fix: list the exact actions under Action.`);
    }
  }),
};

export const iamNoWildcardResources: ResourceValidationPolicy = {
  name: 'iam-no-wildcard-resources',
  description: `IAM identity policies scope every statement to ARNs; "*" only for actions AWS cannot scope (${WILDCARD_RESOURCE_ACTIONS.join(', ')}).`,
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateResource: checkAllowStatements((statement, where, report) => {
    if (statement.resources.includes('*')) {
      const unscopable = statement.actions.filter(
        (a) => !(WILDCARD_RESOURCE_ACTIONS as readonly string[]).some((allowed) => allowed.toLowerCase() === a.toLowerCase()),
      );
      if (unscopable.length > 0 || statement.notActions.length > 0) {
        report(
          `${where} grants ${unscopable.join(', ') || 'NotAction'} on Resource "*". ` +
            'Fix: scope the statement to the exact ARNs; only the VPC network-interface actions (and secretsmanager:GetRandomPassword) may use "*", in a statement of their own.',
        );
      }
    }
    if (statement.notResources.length > 0) {
      report(`${where} applies to every resource except ${statement.notResources.join(', ')} (NotResource with Allow). Fix: list the exact ARNs under Resource.`);
    }
  }),
};

export const iamNoPassRoleWildcard: ResourceValidationPolicy = {
  name: 'iam-no-passrole-wildcard',
  description: 'iam:PassRole is granted on named roles only, never on "*" or a role wildcard.',
  enforcementLevel: 'mandatory',
  severity: 'critical',
  validateResource: checkAllowStatements((statement, where, report) => {
    if (!statement.actions.some((a) => actionMatches(a, 'iam:PassRole'))) return;
    const wide = statement.resources.filter((r) => r === '*' || /:role\/(.*\/)?\*$/.test(r) || /^arn:[^:]+:iam::\*:/.test(r));
    if (wide.length > 0 || statement.notResources.length > 0) {
      report(`${where} allows iam:PassRole on ${wide.join(', ') || 'NotResource'}, which lets its holder hand any role to a service. Fix: name the exact role ARN(s) it passes.`);
    }
  }),
};

export const iamPolicies = [iamNoManagedPolicyAttachments, iamNoWildcardActions, iamNoWildcardResources, iamNoPassRoleWildcard] as const;
