import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { preflightTarget, runPreflight } from '../../src/preflight';
import { awsMocks, fakeTools } from '../preflightHelper';
import { APP } from '../synthHelper';

const aws = awsMocks();
/** The backend the tools check reads: a region-qualified S3 URL, as the README asks. */
const BACKEND_ENV = { PULUMI_BACKEND_URL: 's3://tap-state?region=us-east-1' };
const run = () =>
  runPreflight({ target: preflightTarget('dev', join(APP, 'Pulumi.dev.yaml')), cwd: APP, spawn: fakeTools(), sleep: async () => undefined, env: BACKEND_ENV });

beforeEach(() => aws.ready());
afterAll(() => aws.reset());

describe('the IAM permissions the README lists', () => {
  it('lists every AWS call preflight makes, as service:Action', async () => {
    // Prepare: a ready account, then one whose endpoint has no private DNS (the route tables are read only then).
    const prefixes: Record<string, string> = { secrets: 'secretsmanager' };
    const readme = readFileSync(join(APP, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Preflight'), readme.indexOf('## Smoke test'));
    const listed = new Set([...section.matchAll(/`([a-z0-9]+:[A-Z][A-Za-z]+)`/g)].map((m) => m[1]));
    const used = new Set<string>();
    const collect = () => {
      for (const [client, mock] of Object.entries(aws).filter(([, m]) => typeof m === 'object' && 'calls' in m)) {
        for (const call of (mock as typeof aws.sts).calls()) used.add(`${prefixes[client] ?? client}:${call.args[0].constructor.name.replace(/Command$/, '')}`);
      }
    };

    // Act
    await run();
    collect();
    aws.ready();
    aws.ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
    await run();
    collect();

    // Assess
    expect(used.size).toBeGreaterThanOrEqual(20);
    expect([...used].filter((action) => !listed.has(action))).toEqual([]);
  });
});
