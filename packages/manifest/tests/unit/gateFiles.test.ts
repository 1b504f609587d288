import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ManifestError, loadInventorySet, loadManifestSet, readTextFile, writeFileAtomic } from '../../src';
import { MAX_INPUT_BYTES } from '../../src/constants';
import { BUILT_BIN, manifestFor, removeDir, runBin, tempDir, writeJson } from './support';

/*
 * The files the gate reads (baselines, inventories, history, synth output) and writes. A FIFO or a device blocks or
 * never ends a read, so only regular files are read, and at most MAX_INPUT_BYTES of them; a file found in a directory
 * given must resolve (realpath) inside it; a write that did not write everything fails and keeps the old file.
 */
describe('files the gate reads and writes', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('gate-files')));
  afterEach(() => removeDir(dir));

  const expectRefused = (act: () => unknown, problem: RegExp) => {
    let caught: unknown;
    try {
      act();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ManifestError);
    expect((caught as ManifestError).message).toMatch(problem);
    expect((caught as ManifestError).message).not.toContain('\n');
  };

  it('refuses a FIFO as a baseline at once (reading it would wait for a writer forever)', () => {
    // Prepare
    const baselines = join(dir, 'manifests');
    mkdirSync(baselines);
    execFileSync('mkfifo', [join(baselines, 'dev.json')]);
    // Act
    const cli = runBin(BUILT_BIN, ['hash', join(baselines, 'dev.json')], dir);
    // Assess
    expectRefused(() => loadManifestSet(baselines), /dev\.json: is not a regular file \(a FIFO\)/);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/^tap-drift: .*dev\.json: is not a regular file \(a FIFO\)[^\n]*\n$/);
  });

  it('refuses a symlink to /dev/zero (an endless read) with one line, exit 2', () => {
    // Prepare
    symlinkSync('/dev/zero', join(dir, 'dev.json'));
    // Act
    const cli = runBin(BUILT_BIN, ['hash', 'dev.json'], dir);
    // Assess
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/^tap-drift: dev\.json: is not a regular file \(a character device\)[^\n]*\n$/);
    expectRefused(() => readTextFile(join(dir, 'dev.json')), /is not a regular file/);
  });

  it('refuses a baseline that is a symlink out of the baseline directory', () => {
    // Prepare
    const baselines = join(dir, 'manifests');
    mkdirSync(baselines);
    writeJson(join(dir, 'elsewhere', 'prod.json'), manifestFor('prod'));
    symlinkSync(join(dir, 'elsewhere', 'prod.json'), join(baselines, 'prod.json'));
    // Act + Assess
    expectRefused(() => loadManifestSet(baselines), /prod\.json: resolves to .*elsewhere\/prod\.json, outside .*manifests/);
  });

  it('refuses an inventory beside a baseline that leaves the directory', () => {
    // Prepare
    const baselines = join(dir, 'manifests');
    writeJson(join(baselines, 'dev.json'), manifestFor('dev'));
    writeJson(join(dir, 'elsewhere', 'dev.resources.json'), {});
    symlinkSync(join(dir, 'elsewhere', 'dev.resources.json'), join(baselines, 'dev.resources.json'));
    // Act + Assess
    expectRefused(() => loadInventorySet(loadManifestSet(baselines)), /dev\.resources\.json: resolves to .*, outside /);
  });

  it('refuses an environment folder that leads out through ..', () => {
    // Prepare: the synth layout <env>/manifest.json, with dev -> ../elsewhere/dev
    const synth = join(dir, 'synth');
    mkdirSync(synth);
    writeJson(join(dir, 'elsewhere', 'dev', 'manifest.json'), manifestFor('dev'));
    symlinkSync(join('..', 'elsewhere', 'dev'), join(synth, 'dev'));
    // Act + Assess
    expectRefused(() => loadManifestSet(synth), /dev\/manifest\.json: resolves to .*elsewhere\/dev\/manifest\.json, outside .*synth/);
  });

  it('still reads a directory given through .. (the directory given is the boundary, not the working folder)', () => {
    // Prepare
    writeJson(join(dir, 'manifests', 'dev.json'), manifestFor('dev'));
    mkdirSync(join(dir, 'other'));
    // Act
    const set = loadManifestSet(join(dir, 'other', '..', 'manifests'));
    // Assess
    expect([...set.keys()]).toEqual(['dev']);
  });

  it('refuses a file larger than MAX_INPUT_BYTES (64 MiB) before reading it', () => {
    // Prepare: a sparse file, one byte over the cap
    const file = join(dir, 'dev.json');
    writeFileSync(file, '');
    truncateSync(file, MAX_INPUT_BYTES + 1);
    // Act
    const cli = runBin(BUILT_BIN, ['hash', 'dev.json'], dir);
    // Assess
    expect(MAX_INPUT_BYTES).toBe(64 * 1024 * 1024);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/^tap-drift: dev\.json: is larger than 64 MiB \(67108865 bytes\)[^\n]*\n$/);
  });

  it('fails a short write with one line and leaves the old file as it was, no temp file behind', () => {
    // Prepare: the disk takes half the bytes, then nothing (as when it is full)
    const file = join(dir, 'prod.json');
    writeFileSync(file, 'old content\n');
    let calls = 0;
    const write = (fd: number, buffer: Buffer, offset: number, length: number) => (calls++ === 0 ? writeSync(fd, buffer, offset, Math.floor(length / 2)) : 0);
    // Act + Assess
    expectRefused(() => writeFileAtomic(file, 'new content, twice as long as the old one\n', { write }), /prod\.json: short write: 21 of 42 bytes written \(disk full\?\); the old file is unchanged$/);
    expect(readFileSync(file, 'utf8')).toBe('old content\n');
    expect(readdirSync(dir)).toEqual(['prod.json']);
  });

  it('fails a write whose count the file does not show (fstat size after the write)', () => {
    // Prepare: a write that reports every byte but stores half
    const file = join(dir, 'prod.json');
    writeFileSync(file, 'old content\n');
    const write = (fd: number, buffer: Buffer, offset: number, length: number) => (writeSync(fd, buffer, offset, Math.floor(length / 2)), length);
    // Act + Assess
    expectRefused(() => writeFileAtomic(file, 'new content, twice as long as the old one\n', { write }), /prod\.json: short write: 21 of 42 bytes written/);
    expect(readFileSync(file, 'utf8')).toBe('old content\n');
    expect(readdirSync(dir)).toEqual(['prod.json']);
  });

  it('turns a failing write (EFBIG, ENOSPC) into one line and keeps the old file', () => {
    // Prepare
    const file = join(dir, 'prod.json');
    writeFileSync(file, 'old content\n');
    const write = () => {
      throw Object.assign(new Error('EFBIG: file too large, write'), { code: 'EFBIG' });
    };
    // Act + Assess
    expectRefused(() => writeFileAtomic(file, 'new\n', { write }), /prod\.json: cannot write \(EFBIG\); the old file is unchanged/);
    expect(readFileSync(file, 'utf8')).toBe('old content\n');
    expect(readdirSync(dir)).toEqual(['prod.json']);
  });

  it('writes the whole content when the disk takes it in pieces', () => {
    // Prepare: each call writes at most 5 bytes (a legal partial write)
    const file = join(dir, 'prod.json');
    const write = (fd: number, buffer: Buffer, offset: number, length: number) => writeSync(fd, buffer, offset, Math.min(5, length));
    // Act
    writeFileAtomic(file, 'new content in pieces\n', { write });
    // Assess
    expect(readFileSync(file, 'utf8')).toBe('new content in pieces\n');
    expect(readdirSync(dir)).toEqual(['prod.json']);
  });
});

describe('the default history of a baseline directory', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('gate-history')));
  afterEach(() => removeDir(dir));

  it('is refused when history.jsonl leads out of the baseline directory', () => {
    // Prepare
    const baselines = join(dir, 'manifests');
    writeJson(join(baselines, 'dev.json'), manifestFor('dev'));
    writeFileSync(join(dir, 'history.jsonl'), '');
    symlinkSync(join('..', 'history.jsonl'), join(baselines, 'history.jsonl'));
    // Act
    const verify = runBin(BUILT_BIN, ['audit', 'verify', '--baseline', baselines], dir);
    const owed = runBin(BUILT_BIN, ['audit', 'owed', '--baseline', baselines], dir);
    // Assess
    for (const run of [verify, owed]) {
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^tap-drift: .*manifests\/history\.jsonl: resolves to .*, outside .*manifests; [^\n]*\n$/);
    }
  });
});
