import { EPHEMERAL_COPY_SETTINGS, settingOf } from '@tap/validation';

/**
 * The `Pulumi.<env>-smoke-<suffix>.yaml` values of a smoke copy: the environment's own values, the generated suffix,
 * and every setting a copy overrides (`EPHEMERAL_COPY_SETTINGS`: no deletion protection, no final snapshot), so the
 * run's `pulumi destroy` can delete a copy of prod and leaves no snapshot behind. The program accepts these overrides
 * for a `<env>-<name>` stack only; under the environment's own stack they are refused.
 *
 * @example
 * smokeCopyValues({ 'aws:region': 'us-east-1' }, 'smk4k9x0q');
 * // { 'aws:region': 'us-east-1', 'TapStack:environmentSuffix': 'smk4k9x0q',
 * //   'TapStack:dbDeletionProtection': 'false', 'TapStack:dbFinalSnapshot': 'false' }
 */
export function smokeCopyValues(values: Readonly<Record<string, string>>, suffix: string): Record<string, string> {
  const overrides = EPHEMERAL_COPY_SETTINGS.flatMap(([path, value]): Array<[string, string]> => {
    const key: string | undefined = settingOf(path).key;
    return key === undefined ? [] : [[key, String(value)]];
  });
  return { ...values, 'TapStack:environmentSuffix': suffix, ...Object.fromEntries(overrides) };
}
