import { ENVIRONMENT_NAMES, EPHEMERAL_COPY_SETTINGS, FIELD_POLICIES, environmentProfile, setSettingValue, settingValue, validateEnvironmentConfig } from '../../src';

// AWS behaviour these settings encode (cited from the RDS API reference, DeleteDBCluster):
// - "The DB cluster can't be deleted when deletion protection is enabled" (DeletionProtection of CreateDBCluster/
//   ModifyDBCluster): a protected cluster must first be modified to DeletionProtection=false, then deleted.
// - SkipFinalSnapshot=false requires FinalDBSnapshotIdentifier: "Must be 1 to 255 letters, numbers, or hyphens. First
//   character must be a letter. Can't end with a hyphen or contain two consecutive hyphens."

describe('database deletion protection and final snapshot, per environment', () => {
  it('protects prod and takes its final snapshot; dev and staging stay destroyable', () => {
    // Act
    const values = ENVIRONMENT_NAMES.map((env) => {
      const config = environmentProfile(env);
      return [env, settingValue(config, 'database.deletionProtection'), settingValue(config, 'database.finalSnapshot')];
    });

    // Assess
    expect(values).toEqual([
      ['dev', false, false],
      ['staging', false, false],
      ['prod', true, true],
    ]);
    expect(FIELD_POLICIES['database.deletionProtection']).toBe('per-environment');
    expect(FIELD_POLICIES['database.finalSnapshot']).toBe('per-environment');
  });

  it('refuses an unprotected prod stack, naming the setting and the value prod must have', () => {
    // Prepare
    const config = environmentProfile('prod');
    config.database.deletionProtection = false;
    config.database.finalSnapshot = false;

    // Act
    const issues = validateEnvironmentConfig('prod', config);

    // Assess
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['database.deletionProtection', 'Prod environment must protect its database from deletion (deletionProtection true), got false'],
      ['database.finalSnapshot', 'Prod environment must take a final database snapshot on delete (finalSnapshot true), got false'],
    ]);
  });

  it('lets an ephemeral copy of prod (a smoke stack) be destroyable, and only destroyable', () => {
    // Prepare: a copy sets exactly the overrides the table declares for copies.
    const copy = environmentProfile('prod', 'smk123456');
    for (const [path, value] of EPHEMERAL_COPY_SETTINGS) setSettingValue(copy, path, value);
    const protectedDevCopy = environmentProfile('dev', 'smk123456');
    protectedDevCopy.database.deletionProtection = true;

    // Act
    const copyIssues = validateEnvironmentConfig('prod', copy, { ephemeralCopy: true });
    const stackIssues = validateEnvironmentConfig('prod', copy);
    const devCopyIssues = validateEnvironmentConfig('dev', protectedDevCopy, { ephemeralCopy: true });

    // Assess
    expect(EPHEMERAL_COPY_SETTINGS).toEqual([
      ['database.deletionProtection', false],
      ['database.finalSnapshot', false],
    ]);
    expect(copyIssues).toEqual([]);
    expect(stackIssues.map((issue) => issue.path)).toEqual(['database.deletionProtection', 'database.finalSnapshot']);
    // A copy may relax to destroyable, never take another value the profile does not have.
    expect(devCopyIssues.map((issue) => issue.path)).toEqual(['database.deletionProtection']);
  });
});
