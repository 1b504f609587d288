import { AWS_MANAGED_KEY_ALIAS } from './constants';

/** What to report when a resource's KMS key setting is not a customer-managed key. */
export interface KeySettingMessages {
  /** No key is set, so the service falls back to its AWS-managed key (or to none). */
  unset: string;
  /** The key is an AWS-managed one (`alias/aws/…`). */
  awsManaged: (key: string) => string;
}

/**
 * Reports a KMS key setting that is not a customer-managed key: unset, or an AWS-managed `alias/aws/…` key. The
 * resource policies word the messages, since what the fallback is and what to set differ by service.
 *
 * @example
 * reportUnlessCustomerManagedKey(str(secret.kmsKeyId), {
 *   unset: `${who} has no kmsKeyId. Fix: set kmsKeyId to a customer-managed KMS key.`,
 *   awsManaged: (key) => `${who} uses the AWS-managed key ${key}. Fix: set kmsKeyId to a customer-managed KMS key.`,
 * }, report);
 */
export function reportUnlessCustomerManagedKey(key: string | undefined, messages: KeySettingMessages, report: (message: string) => void): void {
  if (!key) {
    report(messages.unset);
  } else if (AWS_MANAGED_KEY_ALIAS.test(key)) {
    report(messages.awsManaged(key));
  }
}
