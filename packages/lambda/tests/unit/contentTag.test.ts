import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaComponentError, contentTag } from '../../src';

const roots: string[] = [];
function context(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tap-ctx-'));
  roots.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
afterAll(() => roots.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const files = { Dockerfile: 'FROM public.ecr.aws/lambda/nodejs:22\nCOPY index.js ./\n', 'index.js': 'exports.handler=1', 'lib/a.js': 'a' };

describe('contentTag', () => {
  it('is 16 lowercase hex characters', () => {
    expect(contentTag(context(files))).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is the same for the same files in another directory, whatever the creation order', () => {
    // Prepare
    const reversed = Object.fromEntries(Object.entries(files).reverse());

    // Act / Assess
    expect(contentTag(context(reversed))).toBe(contentTag(context(files)));
  });

  it.each([
    ['one byte of content', { ...files, 'index.js': 'exports.handler=2' }],
    ['a renamed file', { Dockerfile: files.Dockerfile, 'index.js': files['index.js'], 'lib/b.js': 'a' }],
    ['an added empty file', { ...files, '.keep': '' }],
    ['content moved between files', { ...files, 'index.js': 'exports.handler=1a', 'lib/a.js': '' }],
  ])('changes with %s', (_label, changed) => {
    expect(contentTag(context(changed))).not.toBe(contentTag(context(files)));
  });

  it('fails clearly when the context is missing or has no Dockerfile', () => {
    expect(() => contentTag('/nonexistent/tap-context')).toThrow('build context /nonexistent/tap-context does not exist');
    const noDockerfile = context({ 'index.js': 'x' });
    expect(() => contentTag(noDockerfile)).toThrow(LambdaComponentError);
    expect(() => contentTag(noDockerfile)).toThrow('has no Dockerfile');
  });
});
