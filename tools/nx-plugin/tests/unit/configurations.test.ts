import type { ProjectGraph } from '@nx/devkit';
import { requestedRun, unknownConfigurations } from '../../src/configurations';

const nx = (...args: string[]) => ['/usr/bin/node', '/repo/node_modules/nx/bin/nx.js', ...args];

/** A graph with tap-stack (synth, drift, deploy with environments; build without) and networking-stack (deploy). */
function graph(): ProjectGraph {
  const envs = { dev: {}, staging: {}, prod: {} };
  const node = (name: string, targets: Record<string, object>) => ({ name, type: 'app' as const, data: { root: `apps/${name}`, targets } });
  return {
    nodes: {
      'tap-stack': node('tap-stack', { build: {}, synth: { configurations: envs }, drift: { configurations: envs }, deploy: { configurations: envs } }),
      'networking-stack': node('networking-stack', { deploy: { configurations: envs } }),
      validation: node('validation', { build: {} }),
    },
    dependencies: {},
  };
}

describe('requestedRun', () => {
  it.each([
    [['run', 'tap-stack:synth', '--configuration=qa'], { targets: ['synth'], projects: ['tap-stack'], configuration: 'qa' }],
    [['run', 'tap-stack:deploy', '--configuration', 'prod'], { targets: ['deploy'], projects: ['tap-stack'], configuration: 'prod' }],
    [['run', 'tap-stack:drift:qa'], { targets: ['drift'], projects: ['tap-stack'], configuration: 'qa' }],
    [['run', 'tap-stack:drift', '-c', 'qa', '--format=json'], { targets: ['drift'], projects: ['tap-stack'], configuration: 'qa' }],
    [['deploy', 'tap-stack', '-c=qa'], { targets: ['deploy'], projects: ['tap-stack'], configuration: 'qa' }],
    [['run-many', '-t', 'deploy', 'preview', '-p', 'tap-stack,networking-stack', '-c', 'qa'], { targets: ['deploy', 'preview'], projects: ['tap-stack', 'networking-stack'], configuration: 'qa' }],
    [['affected', '--targets=deploy', '--configuration=prod'], { targets: ['deploy'], projects: undefined, configuration: 'prod' }],
    [['run', 'tap-stack:synth'], { targets: ['synth'], projects: ['tap-stack'], configuration: undefined }],
  ])('reads nx %j', (args, expected) => {
    // Act + Assess
    expect(requestedRun(nx(...args))).toEqual(expected);
  });

  it('asks for nothing when the command runs no task', () => {
    // Act + Assess
    expect(requestedRun(nx('graph', '--file=out.json'))).toBeUndefined();
    expect(requestedRun(nx('show', 'project', 'tap-stack', '-c', 'x'))).toBeUndefined();
    expect(requestedRun(nx())).toBeUndefined();
  });
});

describe('unknownConfigurations', () => {
  it('refuses a configuration a requested target does not have, listing the valid ones', () => {
    // Act
    const problems = unknownConfigurations({ targets: ['synth'], projects: ['tap-stack'], configuration: 'qa' }, graph());
    // Assess
    expect(problems).toEqual(['unknown configuration "qa" for tap-stack:synth: use --configuration=dev|staging|prod, or none for the default']);
  });

  it('names every project of a run-many or affected run that lacks it', () => {
    // Act
    const problems = unknownConfigurations({ targets: ['deploy'], configuration: 'qa' }, graph());
    // Assess
    expect(problems.map((p) => p.split(':')[0])).toEqual(['unknown configuration "qa" for tap-stack', 'unknown configuration "qa" for networking-stack']);
  });

  it('accepts a known configuration, no configuration, and targets without configurations', () => {
    // Act + Assess
    expect(unknownConfigurations({ targets: ['deploy'], configuration: 'prod' }, graph())).toEqual([]);
    expect(unknownConfigurations({ targets: ['drift'], projects: ['tap-stack'] }, graph())).toEqual([]);
    expect(unknownConfigurations({ targets: ['build'], configuration: 'production' }, graph())).toEqual([]);
  });
});
