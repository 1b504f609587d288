import { join } from 'node:path';
import { approveManifests } from '../../src';
import { WORKSPACE, record, removeDir, runCliCaptured, tempDir, writeSynth, type SynthRecordFixture } from './support';

/*
 * Changes the gate did not see: each is made in the synth's own record format (resources.json, as tools/synth writes
 * it), approved baselines of the unchanged fixtures beside it, and judged by `tap-drift check` and `requirements` with
 * the committed approval rules.
 */
const RULES = join(WORKSPACE, 'apps/tap-stack/approval-rules.json');
const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];
type RecordsChange = (records: SynthRecordFixture[]) => void;

/** A record of the fixtures with the synth's newer fields (options, secret digests) writable. */
type Recorded = SynthRecordFixture & { options?: Record<string, unknown>; secretDigests?: Record<string, unknown> };
const recorded = (records: SynthRecordFixture[], name: string): Recorded => record(records, name) as Recorded;

/** Baselines approved from the fixtures changed by `approved`, and a synth changed by `current` in `env` only. */
function judge(env: Env, approved: RecordsChange, current: RecordsChange) {
  const dir = tempDir('blindspots');
  try {
    for (const e of ENVS) writeSynth(join(dir, 'approved'), e, { records: e === env ? approved : undefined });
    approveManifests({ baseline: join(dir, 'base'), current: join(dir, 'approved'), reason: 'fixtures', approver: 'Test <t@example.com>', noPolicyCheck: true, env: {} });
    for (const e of ENVS) writeSynth(join(dir, 'synth'), e, { records: e === env ? current : undefined });
    const check = runCliCaptured(['check', '--baseline', join(dir, 'base'), '--current', join(dir, 'synth')]);
    const requirements = runCliCaptured(['requirements', '--baseline', join(dir, 'base'), '--current', join(dir, 'synth'), '--rules', RULES]);
    return { check, requirements };
  } finally {
    removeDir(dir);
  }
}

const unchanged: RecordsChange = () => undefined;

describe('gate blind spots: what the gate must see', () => {
  it('shows the payment function pinned to another digest of its repository, and asks security', () => {
    // Prepare: the build's image digest is the docker image's repoDigest output; the function is pinned to an older one.
    const older = `${'0a1b2c3d'.repeat(8)}`;
    const pin: RecordsChange = (records) => {
      const fn = record(records, 'tap-payments-function');
      fn.inputs['imageUri'] = String(fn.inputs['imageUri']).replace(/@sha256:[0-9a-f]{64}$/, `@sha256:${older}`);
    };

    // Act
    const { check, requirements } = judge('prod', unchanged, pin);

    // Assess
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('tap-payments-function');
    expect(check.stdout).toContain(`imageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/payment-processor-prod-001@sha256:<digest> -> 123456789012.dkr.ecr.us-east-1.amazonaws.com/payment-processor-prod-001@sha256:${older}`);
    expect(requirements.stdout).toMatch(/image-source/);
    expect(requirements.stdout).not.toContain('No approval required');
  });

  it("keeps this build's own digest volatile wherever it appears (a rebuild moves it everywhere at once)", () => {
    // Prepare: a rebuild moves the image's repoDigest output and every input that carries it.
    const rebuilt = 'f'.repeat(64);
    const rebuild: RecordsChange = (records) => {
      const image = record(records, 'tap-payments-image');
      const before = String(image.outputs?.['repoDigest']);
      const after = before.replace(/[0-9a-f]{64}$/, rebuilt);
      (image.outputs as Record<string, unknown>)['repoDigest'] = after;
      for (const name of ['tap-payments-function', 'tap-payments-migrate-function']) record(records, name).inputs['imageUri'] = after;
      (record(records, 'tap-payments-migrate-invocation').inputs['triggers'] as Record<string, unknown>)['imageDigest'] = after;
    };

    // Act
    const { check } = judge('dev', unchanged, rebuild);

    // Assess
    expect(check.code).toBe(0);
  });

  it('shows a resource option removed (ignoreChanges on the secret version) and asks security', () => {
    // Prepare
    const withOption: RecordsChange = (records) => {
      recorded(records, 'tap-secrets-secret-version').options = { ignoreChanges: ['secretString'] };
    };

    // Act: approved with the option, the synth without it.
    const { check, requirements } = judge('dev', unchanged, withOption);

    // Assess
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('tap-secrets-secret-version');
    expect(check.stdout).toContain('(options).ignoreChanges');
    expect(requirements.stdout).toMatch(/hidden-changes/);
    expect(requirements.stdout).toMatch(/resource-options/);
  });

  it('asks security and two platform leads when prod loses protect on its cluster', () => {
    // Prepare
    const protectedCluster: RecordsChange = (records) => {
      recorded(records, 'tap-db-cluster').options = { protect: true };
    };

    // Act
    const { check, requirements } = judge('prod', protectedCluster, unchanged);

    // Assess
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('(options).protect');
    expect(requirements.stdout).toMatch(/protection-options/);
    expect(requirements.stdout).toMatch(/prod-any-change/);
  });

  it('shows a changed secret input as "changed (secret)" without its value, and asks security', () => {
    // Prepare: the same "[secret]" on both sides; the synth's digests of the mock values differ.
    const digestOf = (hex: string): RecordsChange => (records) => {
      recorded(records, 'tap-secrets-secret-version').secretDigests = { secretString: `sha256:${hex}` };
    };

    // Act
    const { check, requirements } = judge('staging', digestOf('1'.repeat(64)), digestOf('2'.repeat(64)));

    // Assess
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('secretString: changed (secret)');
    expect(requirements.stdout).toMatch(/secrets/);
    expect(requirements.stdout).not.toContain('No approval required');
  });
});
