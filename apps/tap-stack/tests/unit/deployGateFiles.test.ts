import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_GATES } from '../../src/deploy/constants';
import { GateError } from '../../src/deploy/errors';
import { approvedInventory, currentInventory, synthHash } from '../../src/deploy/gate';
import { ROOT, tempDir } from '../synthHelper';

/*
 * The deploy runner reads the synth folder (hashing every file, reading resources.json) and the approved inventories
 * itself. A FIFO or device there would block the deploy or read forever, a folder entry would crash it, and a baseline
 * symlinked out of the committed folder would be trusted: each is a one-line refusal that nothing could be gated.
 */
describe('files the deploy runner reads', () => {
  const refusal = (act: () => unknown): GateError => {
    try {
      act();
    } catch (error) {
      if (error instanceof GateError) return error;
      throw error;
    }
    throw new Error('not refused');
  };

  it('refuses a FIFO in the synth folder at once instead of waiting for a writer', () => {
    // Prepare
    const dir = tempDir('synth-fifo');
    writeFileSync(join(dir, 'manifest.json'), '{}');
    execFileSync('mkfifo', [join(dir, 'resources.json')]);
    // Act
    const error = refusal(() => synthHash(dir));
    // Assess
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/resources\.json: is not a regular file \(a FIFO\)/);
    expect(error.message).not.toContain('\n');
  });

  it('refuses a synth resources.json that is a symlink to /dev/zero', () => {
    // Prepare
    const dir = tempDir('synth-zero');
    symlinkSync('/dev/zero', join(dir, 'resources.json'));
    // Act
    const error = refusal(() => currentInventory(dir, 'dev'));
    // Assess
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/resources\.json: /);
  });

  it('refuses an approved inventory that leads out of the committed baseline folder', () => {
    // Prepare: a workspace whose networking baselines folder holds a symlink to a file elsewhere
    const root = tempDir('gate-root');
    const spec = STACK_GATES['networking-stack'];
    mkdirSync(join(root, spec.baselines), { recursive: true });
    symlinkSync(join(ROOT, spec.baselines, 'dev.resources.json'), join(root, spec.baselines, 'dev.resources.json'));
    // Act
    const error = refusal(() => approvedInventory(root, spec, 'dev'));
    // Assess
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/dev\.resources\.json: no usable approved inventory \(.*resolves to .*, outside /);
  });
});
