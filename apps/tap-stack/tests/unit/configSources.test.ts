import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readProjectConfig, readStackConfig } from '../../src/synth/stackConfig';
import { APP, fixtureFile, imageContext, ofType, stackConfigFile, synth, tempDir } from '../synthHelper';

/*
 * Config that reaches a deploy although the stack file does not hold it. Pulumi applies `config:` of Pulumi.yaml to
 * every stack of the project; a key without a namespace is the project's; `value:` wraps a structured value and a
 * declaration's `default` applies; the stack file's value of the same key supersedes it
 * (https://www.pulumi.com/docs/iac/concepts/config/ "Project Level Configuration", "Project and Stack Configuration
 * Scope"; https://www.pulumi.com/docs/iac/concepts/projects/project-file/ "config options": schemas only for project
 * keys). `environment:` in Pulumi.<stack>.yaml imports Pulumi ESC environments whose `pulumiConfig` becomes stack config
 * (same page, "Using Pulumi ESC from Pulumi Stack Config").
 */

/** A copy of the tap-stack project folder whose Pulumi.yaml ends with `projectConfig` lines. */
function projectWith(projectConfig: string[]): string {
  const dir = tempDir('project');
  writeFileSync(join(dir, 'Pulumi.yaml'), [readFileSync(join(APP, 'Pulumi.yaml'), 'utf8').trimEnd(), ...projectConfig, ''].join('\n'));
  return dir;
}

/** `Pulumi.<env>.yaml` without the lines setting `drop`, with the image context set, in a temp folder. */
function stackFileWithout(env: string, drop: string[], extra: string[] = []): string {
  const lines = readFileSync(join(APP, `Pulumi.${env}.yaml`), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !drop.some((key) => line.trim().startsWith(`${key}:`)));
  const file = join(tempDir('stack'), `Pulumi.${env}.yaml`);
  writeFileSync(file, [...lines, `  TapStack:imageBuildContext: ${imageContext()}`, ...extra, ''].join('\n'));
  return file;
}

describe('tap-synth: config from outside the stack file', () => {
  it('applies project-level config of Pulumi.yaml to the stack, as Pulumi does, the stack file winning', () => {
    // Prepare: Pulumi.yaml subscribes an address to the alarms (bare key: the project's) and sets a threshold the
    // stack file sets too.
    const app = projectWith(['config:', '  alarmEmail: ops@attacker.example', '  errorThreshold:', '    value: "99"']);
    const stackFile = stackFileWithout('dev', []);
    copyFileSync(stackFile, join(app, 'Pulumi.dev.yaml'));

    // Act
    const run = synth('dev', { config: stackFile, fixture: fixtureFile('dev', () => undefined), app });

    // Assess
    expect(run.code).toBe(0);
    const subscriptions = ofType(run.resources, 'aws:sns/topicSubscription:TopicSubscription');
    expect(subscriptions.map((s) => s.inputs['endpoint'])).toEqual(['ops@attacker.example']);
    const [errors] = run.resources.filter((r) => r.name === 'tap-monitoring-lambda-errors');
    expect(errors.inputs['threshold']).toBe(10);
  });

  it('refuses aws:endpoints and aws:defaultTags in the stack file, naming the key and the file', () => {
    // Prepare
    const config = stackConfigFile('prod', imageContext(), ['  aws:endpoints:', '    - lambda: https://lambda.attacker.example', '  aws:defaultTags:', '    tags:', '      team: payments']);

    // Act
    const run = synth('prod', { config });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${config}: config key aws:endpoints is refused`);
    expect(run.stderr).toContain(`${config}: config key aws:defaultTags is refused`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.resources).toEqual([]);
  });

  it('refuses an ESC environment import in the stack file', () => {
    // Prepare
    const config = stackFileWithout('staging', [], []);
    writeFileSync(config, `environment:\n  - payments/staging\n${readFileSync(config, 'utf8')}`);

    // Act
    const run = synth('staging', { config });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${config}: "environment" imports Pulumi ESC environments`);
  });

  it('refuses a provider key set at project level, naming Pulumi.yaml', () => {
    // Prepare
    const app = projectWith(['config:', '  aws:skipCredentialsValidation: true']);
    const stackFile = stackFileWithout('dev', []);
    copyFileSync(stackFile, join(app, 'Pulumi.dev.yaml'));

    // Act
    const run = synth('dev', { config: stackFile, fixture: fixtureFile('dev', () => undefined), app });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(app, 'Pulumi.yaml')}: config key aws:skipCredentialsValidation is refused`);
  });
});

describe('project-level config, as Pulumi merges it', () => {
  it('namespaces bare keys to the project, unwraps value:, applies a default and lets the stack file win', () => {
    // Prepare
    const app = projectWith(['config:', '  alarmEmail: ops@example.com', '  errorThreshold:', '    type: integer', '    default: 7', '  aws:region: us-east-2', '  networkingStackRef:', '    value: org/net/dev']);
    const stackFile = join(tempDir('stack'), 'Pulumi.dev.yaml');
    writeFileSync(stackFile, 'config:\n  TapStack:networkingStackRef: organization/networking-stack/dev\n');

    // Act
    const project = readProjectConfig(join(app, 'Pulumi.yaml'));
    const merged = readStackConfig({ appDir: app, stackFile, allowedForeignKeys: ['aws:region'] });

    // Assess
    expect(project.values).toEqual({ 'TapStack:alarmEmail': 'ops@example.com', 'TapStack:errorThreshold': '7', 'aws:region': 'us-east-2', 'TapStack:networkingStackRef': 'org/net/dev' });
    expect(merged.config.values['TapStack:networkingStackRef']).toBe('organization/networking-stack/dev');
    expect(merged.config.values['TapStack:errorThreshold']).toBe('7');
  });

  it('refuses stackConfigDir and a secret declared at project level', () => {
    // Prepare
    const moved = projectWith(['stackConfigDir: config/']);
    const secret = projectWith(['config:', '  dbPassword:', '    type: string', '    secret: true']);

    // Act / Assess
    expect(() => readProjectConfig(join(moved, 'Pulumi.yaml'))).toThrow(/stackConfigDir/);
    expect(() => readProjectConfig(join(secret, 'Pulumi.yaml'))).toThrow(/declared secret/);
  });
});
