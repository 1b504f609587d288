export { policies } from './policies';
export * from './policies/cloudwatch';
export * from './policies/database';
export * from './policies/iam';
export * from './policies/kms';
export * from './policies/lambda';
export * from './policies/naming';
export * from './policies/network';
export * from './policies/secrets';
export {
  assertSynthResources,
  blockingViolations,
  evaluatePolicies,
  resourceValidationArgs,
  stackTagsFor,
  stackValidationArgs,
} from './evaluate';
export { runCli, type CliIo } from './cli';
export { formatReport, type FileReport } from './report';
export { inferEnvironmentSuffix, parseUrn, resolveStackContext } from './context';
export { actionMatches, isWildcardAction, parsePolicyDocument, type IamStatement, type ParsedDocument } from './iamDocument';
export { cidrWithin, isOpenCidr } from './cidr';
export { refersTo } from './references';
export * from './constants';
export * from './errors';
export type * from './types';
