import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageContext, stackConfigFile, synth } from '../synthHelper';

describe('tap-stack synth determinism', () => {
  it('writes byte-identical files for the same code and config', () => {
    // Prepare
    const config = stackConfigFile('prod', imageContext());
    // Act
    const first = synth('prod', { config });
    const second = synth('prod', { config });
    // Assess
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    for (const file of ['manifest.json', 'resources.json', 'outputs.json']) {
      expect(readFileSync(join(second.outDir, file), 'utf8')).toBe(readFileSync(join(first.outDir, file), 'utf8'));
    }
  });

  it('changes the image URI and hash when the image content changes, and only then', () => {
    // Act
    const a = synth('dev', { config: stackConfigFile('dev', imageContext('exports.handler = 1;\n')) });
    const b = synth('dev', { config: stackConfigFile('dev', imageContext('exports.handler = 2;\n')) });
    const c = synth('dev', { config: stackConfigFile('dev', imageContext('exports.handler = 2;\n')) });
    // Assess
    expect(b.manifest.configuration.docker.imageUri).not.toBe(a.manifest.configuration.docker.imageUri);
    expect(b.manifest.configHash).not.toBe(a.manifest.configHash);
    expect(c.manifest.configHash).toBe(b.manifest.configHash);
  });

  it('never writes a secret value, and keeps checkout paths out of the files', () => {
    // Act
    const run = synth('staging', { config: stackConfigFile('staging', imageContext()) });
    const text = readFileSync(join(run.outDir, 'resources.json'), 'utf8') + readFileSync(join(run.outDir, 'outputs.json'), 'utf8');
    // Assess
    expect(text).not.toContain('synth-ecr-token');
    expect(text).toContain('"[secret]"');
    expect(text).not.toContain(join(__dirname, '..', '..'));
  });
});
