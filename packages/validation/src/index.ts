export {
  AURORA_POSTGRES_MAJOR,
  AURORA_POSTGRES_VERSION,
  RETIRED_AURORA_POSTGRES_VERSIONS,
  DEFAULT_ENVIRONMENT_SUFFIX,
  DEFAULT_LAMBDA_TIMEOUT_SECONDS,
  ENVIRONMENT_NAMES,
  LAMBDA_LIMITS,
} from './constants';
export { defineEnvironment } from './define';
export type { ProfiledEnvironmentConfig } from './define';
export { ConfigValidationError, ResourceNameError } from './errors';
export { lambdaVcpuForMemory } from './lambda';
export { NAME_PART, resourceName } from './naming';
export { PROFILES, environmentProfile, isEnvironmentName } from './profiles';
export { assertValidEnvironmentConfig, settingTypeIssue, validateEnvironmentConfig } from './rules';
export type { ValidationOptions } from './rules';
export {
  EPHEMERAL_COPY_SETTINGS,
  FIELD_POLICIES,
  PARITY_FIELDS,
  SETTINGS,
  SETTING_PATHS,
  isConfigPath,
  isSettingValue,
  mapSettings,
  setSettingValue,
  settingMust,
  settingOf,
  settingProblem,
  settingValue,
} from './settings';
export type { Feed, FeedKind, FeedsNone, Setting, SettingFeeds, SettingType, SettingsTable } from './settings';
export type {
  ConfigPath,
  ConfigValue,
  DatabaseSettings,
  EncryptionSettings,
  EnvironmentConfig,
  EnvironmentName,
  EnvironmentProfile,
  FieldPolicy,
  LambdaSettings,
  LoggingSettings,
  MonitoringSettings,
  SecretsSettings,
  ValidationIssue,
} from './types';
export { AWS_NAME_LIMITS } from './limits';
export { OTHER_NAME_LIMITS, componentNameProblem } from './componentNames';
export type { ComponentName, NameLimit } from './componentNames';
export type { NamedResourceType } from './limits';
export { componentNames, maxEnvironmentSuffixLength, nameLimitBreach } from './physicalNames';
export type { NameLimitBreach, StackPhysicalName } from './physicalNames';
export { KMS_KEY_ADMINISTRATION_ACTIONS, keyAdministrationStatement } from './kms';
export { VPC_NETWORK_INTERFACE_ACTIONS } from './iam';
export {
  BACKUP_RETENTION_DAYS_RANGE,
  CLUSTER_INSTANCE_COUNT_RANGE,
  LOG_RETENTION_DAYS,
  ROTATION_DAYS_RANGE,
  backupRetentionProblem,
  clusterInstanceCountProblem,
  errorThresholdProblem,
  lambdaMemoryProblem,
  lambdaTimeoutProblem,
  latencyBelowTimeoutProblem,
  logRetentionProblem,
  percentThresholdProblem,
  positiveThresholdProblem,
  reservedConcurrencyProblem,
  rotationDaysProblem,
} from './settingRules';
