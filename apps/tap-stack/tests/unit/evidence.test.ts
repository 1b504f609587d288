import { MOCK_ECR_PASSWORD, platformMocks } from '@tap/components/testing';
import { verifyEvidenceBundle, writeEvidenceBundle } from '@tap/manifest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { APP, committedSynth, tempDir } from '../synthHelper';

/** Every file of a folder with its bytes. */
function filesOf(dir: string): Array<[string, Buffer]> {
  return readdirSync(dir).flatMap((name): Array<[string, Buffer]> => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesOf(path) : [[path, readFileSync(path)]];
  });
}

describe('the evidence bundle of a real synth', () => {
  it('holds none of the secret values the synth mocks hand the program (password, registry token), in the folder or the archive', () => {
    // Prepare: the values the mocks give the program: the generated database password and the ECR token's password.
    const mocked = platformMocks().newResource({ type: 'random:index/randomPassword:RandomPassword', name: 'tap-secrets-password', inputs: { length: 32 }, custom: true });
    const password = (mocked as { state: Record<string, unknown> }).state['result'] as string;
    expect(password).toMatch(/^mock-/);
    const secrets = [password, MOCK_ECR_PASSWORD];
    const run = committedSynth('prod');
    expect(run.code).toBe(0);
    const out = join(tempDir('evidence'), 'prod');

    // Act: what `tap-drift evidence --environment prod` runs, on the committed baselines and this synth.
    const result = writeEvidenceBundle({ environment: 'prod', baseline: join(APP, 'manifests'), current: join(run.outDir, '..'), out, status: tempDir('status'), env: {} });

    // Assess: the stand-in image makes this synth differ from the baseline, so gate-check.txt lists changed inputs too.
    expect(readFileSync(join(out, 'gate-check.txt'), 'utf8')).toMatch(/prod: changed/);
    const contents = [...filesOf(out), [`${out}.tar.gz`, gunzipSync(readFileSync(`${out}.tar.gz`))] as [string, Buffer]];
    expect(contents.map(([file]) => file)).toContain(join(out, 'baseline', 'prod.resources.json'));
    for (const [file, bytes] of contents) for (const secret of secrets) expect({ file, leaked: bytes.includes(secret) }).toEqual({ file, leaked: false });
    expect(verifyEvidenceBundle(`${out}.tar.gz`, { expectIndexSha256: result.indexSha256 }).problems).toEqual([]);
  });
});
