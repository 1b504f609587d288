import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { APP, fixtureFile, imageContext, stackConfigFile, synth } from '../synthHelper';

describe('tap-stack: a bad configuration fails before any resource', () => {
  it('rejects a Pulumi.prod.yaml with 2048 MB, naming the field and the config key, registering nothing', () => {
    // Prepare
    const config = stackConfigFile('prod', imageContext(), ['  TapStack:lambdaMemoryMb: "2048"']);
    // Act
    const run = synth('prod', { config });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('lambda.memoryMb: Prod environment must use 4096MB Lambda memory, got 2048 (set by TapStack:lambdaMemoryMb)');
    expect(run.stderr).toContain('(0 resources registered before the failure)');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(run.outDir)).toBe(false);
  });

  it('lists every violation at once', () => {
    // Prepare
    const config = stackConfigFile('dev', imageContext(), ['  TapStack:dbInstanceClass: db.r6g.large', '  TapStack:errorThreshold: "50"', '  aws:region: eu-west-1']);
    // Act
    const run = synth('dev', { config });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('database.instanceClass');
    expect(run.stderr).toContain('monitoring.errorThreshold');
    expect(run.stderr).toContain('region');
    expect(run.stderr).toContain('(0 resources registered before the failure)');
  });

  it('reports a wrongly typed value as a violation, not a crash', () => {
    // Prepare
    const config = stackConfigFile('staging', imageContext(), ['  TapStack:latencyThresholdMs: fast']);
    // Act
    const run = synth('staging', { config });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('monitoring.latencyThresholdMs');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('tap-stack: a bad networking reference', () => {
  it('fails naming the stack reference and the missing output', () => {
    // Prepare
    const fixture = fixtureFile('dev', (outputs) => delete outputs['privateSubnetIds']);
    // Act
    const run = synth('dev', { config: stackConfigFile('dev', imageContext()), fixture });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('networking stack organization/networking-stack/dev does not export privateSubnetIds');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(run.outDir)).toBe(false);
  });

  it('fails when the reference has fewer than three private subnets', () => {
    // Prepare
    const fixture = fixtureFile('prod', (outputs) => {
      outputs['privateSubnetIds'] = ['subnet-a', 'subnet-b'];
    });
    // Act
    const run = synth('prod', { config: stackConfigFile('prod', imageContext()), fixture });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('exports 2 privateSubnetIds; at least 3 are required');
  });
});

describe('tap-stack synth: bad input', () => {
  it('exits 2 on an unknown environment', () => {
    // Act
    const run = synth('qa', { config: stackConfigFile('dev', imageContext()) });
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: unknown environment qa: expected one of dev, staging, prod (a Pulumi.<env>.yaml in apps/tap-stack)\n');
  });

  it('exits 2 on a missing config file, naming it', () => {
    // Act
    const run = synth('dev', { config: '/nonexistent/Pulumi.dev.yaml' });
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/nonexistent/Pulumi.dev.yaml: cannot read the stack config file');
  });

  it('exits 1 when the image build context is missing, saying how to build it', () => {
    // Act
    const run = synth('dev', { config: stackConfigFile('dev', '/nonexistent/payment-processor') });
    // Assess
    expect(run.code).toBe(1);
    // The program passes the context relative to the project directory, where pulumi runs.
    expect(run.stderr).toContain(`build context ${relative(APP, '/nonexistent/payment-processor')} does not exist`);
  });
});
