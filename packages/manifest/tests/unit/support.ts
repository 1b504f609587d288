import { environmentProfile, type EnvironmentConfig, type EnvironmentName } from '@tap/validation';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createConfigManifest } from '../../src';
import type { ConfigManifest } from '../../src';

export const WORKSPACE = resolve(__dirname, '../../../..');
export const FIXED_TIME = '2025-01-01T00:00:00.000Z';
export const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/payment-processor:1.4.0';

/** A valid manifest of `env`; `change` edits the config before the manifest (and its hash) is made. */
export function manifestFor(env: EnvironmentName, change: (config: EnvironmentConfig) => void = () => undefined): ConfigManifest {
  const config = environmentProfile(env);
  change(config);
  return createConfigManifest(config, { imageUri: IMAGE, timestamp: FIXED_TIME });
}

export function writeJson(file: string, value: unknown): string {
  mkdirSync(resolve(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

/** A fresh temp directory; remove it with `rmSync(dir, { recursive: true, force: true })`. */
export function tempDir(prefix: string): string {
  mkdirSync(join(WORKSPACE, 'tmp'), { recursive: true });
  return mkdtempSync(join(WORKSPACE, 'tmp', `${prefix}-`));
}

/**
 * Installs the BUILT packages (dist/) the way npm would link them: `node_modules/@tap/{manifest,validation}`
 * in a folder under the workspace's git-ignored tmp/, so third-party deps still come from the root
 * node_modules while `@tap/validation` resolves to its build, not to the TypeScript sources.
 */
export function linkBuiltPackages(): { root: string; bin: string } {
  const root = tempDir('tap-drift-bin');
  mkdirSync(join(root, 'node_modules', '@tap'), { recursive: true });
  for (const name of ['manifest', 'validation']) {
    symlinkSync(join(WORKSPACE, 'dist', 'packages', name), join(root, 'node_modules', '@tap', name), 'dir');
  }
  return { root, bin: join(root, 'node_modules', '@tap', 'manifest', 'src', 'cli', 'main.js') };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `tap-drift` bin as a user would (a separate node process). */
export function runBin(bin: string, args: string[], cwd: string): CliResult {
  const result = spawnSync(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', bin, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
