import * as pulumi from '@pulumi/pulumi';
import { installMocks } from '@tap/pulumi-testing';
import { environmentProfile } from '@tap/validation';
import { createConfigManifestOutput } from '../../src/pulumi';
import { FIXED_TIME, IMAGE, manifestFor } from './support';

const resolved = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

describe('createConfigManifestOutput', () => {
  beforeAll(() => {
    installMocks();
  });

  it('builds the manifest once the image URI Output resolves', async () => {
    // Prepare
    const imageUri = pulumi.output(Promise.resolve(IMAGE));

    // Act
    const manifest = await resolved(createConfigManifestOutput(environmentProfile('dev'), { imageUri, timestamp: FIXED_TIME }));

    // Assess
    expect(manifest).toEqual(manifestFor('dev'));
  });

  it('accepts a plain string image URI too', async () => {
    // Act
    const manifest = await resolved(createConfigManifestOutput(environmentProfile('prod'), { imageUri: 'repo/app@sha256:abc' }));

    // Assess
    expect(manifest.configuration.docker.imageUri).toBe('repo/app@sha256:abc');
    expect(Date.parse(manifest.timestamp)).not.toBeNaN();
  });
});
