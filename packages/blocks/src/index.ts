// The building blocks the components share; each is written once here.
export { HTTPS_PORT, POSTGRES_PORT } from './constants';
export { createCustomerManagedKey, customerManagedKeyPolicy } from './customerManagedKey';
export type { CustomerManagedKey, CustomerManagedKeyArgs, KeyPolicyContext, KeyUseStatement } from './customerManagedKey';
export {
  VPC_NETWORK_INTERFACE_ACTIONS,
  lambdaAssumeRolePolicy,
  policyDocument,
  vpcNetworkInterfacesStatement,
  writeOwnLogGroupStatement,
} from './iamStatements';
export type { PolicyStatement } from './iamStatements';
export { NameLimitError, assertNamesFit } from './nameLimits';
export { firstSettingProblem } from './settingChecks';
export type { SettingCheck } from './settingChecks';
export { createVpcFunction, createVpcFunctionNetwork } from './vpcFunction';
export type {
  VpcFunction,
  VpcFunctionArgs,
  VpcFunctionLogicalNames,
  VpcFunctionNetwork,
  VpcFunctionNetworkArgs,
  VpcFunctionNetworkLogicalNames,
  VpcFunctionSettings,
} from './vpcFunction';
