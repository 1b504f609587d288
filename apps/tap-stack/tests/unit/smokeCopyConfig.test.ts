import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigValidationError } from '@tap/validation';
import { readStackSettings } from '../../src/config';
import { valuesConfigSource } from '../../src/preflight/target';
import { smokeCopyValues } from '../../src/smoke/copyConfig';
import { APP } from '../synthHelper';

// A smoke run deploys an ephemeral copy of an environment and destroys it at the end: a copy of prod must not inherit
// prod's deletion protection (RDS DeleteDBCluster refuses a protected cluster) nor leave a final snapshot behind.

const values = (env: string): Record<string, string> => (parse(readFileSync(join(APP, `Pulumi.${env}.yaml`), 'utf8')) as { config: Record<string, string> }).config;

describe('the config of a smoke copy', () => {
  it('overrides prod\'s deletion protection and final snapshot to destroyable, with the generated suffix', () => {
    // Act
    const copy = smokeCopyValues(values('prod'), 'smk123456');

    // Assess
    expect(copy).toMatchObject({
      'TapStack:environmentSuffix': 'smk123456',
      'TapStack:dbDeletionProtection': 'false',
      'TapStack:dbFinalSnapshot': 'false',
    });
    expect(copy['aws:region']).toBe(values('prod')['aws:region']);
  });

  it('is accepted for the copy\'s own stack, and the copy of prod is destroyable', () => {
    // Prepare
    const copy = smokeCopyValues(values('prod'), 'smk123456');

    // Act
    const settings = readStackSettings(valuesConfigSource(copy), 'prod-smoke-smk123456');

    // Assess
    expect(settings.environment.environment).toBe('prod');
    expect(settings.environment.database).toMatchObject({ deletionProtection: false, finalSnapshot: false, instanceCount: 2 });
  });

  it('cannot unprotect prod itself: the same values under the prod stack are refused, naming the key', () => {
    // Prepare
    const copy = smokeCopyValues(values('prod'), '001');

    // Act
    const read = () => readStackSettings(valuesConfigSource(copy), 'prod');

    // Assess
    expect(read).toThrow(ConfigValidationError);
    expect(read).toThrow(/Prod environment must protect its database from deletion \(deletionProtection true\), got false \(set by TapStack:dbDeletionProtection\)/);
  });
});
