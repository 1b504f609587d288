// The only place that constructs the PolicyPack: the constructor starts the analyzer's gRPC server for the Pulumi CLI,
// so tests and the offline CLI use the `policies` array of @tap/policy instead.
import { PolicyPack, type Policies } from '@pulumi/policy';
import { join } from 'node:path';

/**
 * `@tap/policy` as installed (a published install, where the package is compiled), else this workspace's build
 * (`npx nx run policy:link-built` → dist/packages/policy, its @tap/* dependencies linked beside it): in the workspace the package links to its TypeScript sources, which
 * Node cannot load without the workspace's path mapping.
 */
function loadPolicies(): Policies {
  const candidates = ['@tap/policy', join(__dirname, '..', '..', 'dist', 'packages', 'policy')];
  for (const candidate of candidates) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return [...(require(candidate) as { policies: Policies }).policies];
    } catch (error) {
      // Only "this candidate is missing" moves on; a broken build must surface as itself.
      const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${candidate}'`);
      if (!missing) throw error;
    }
  }
  throw new Error('@tap/policy is not built: run `npx nx run policy:link-built` at the repository root, then retry.');
}

new PolicyPack('tap-security', { policies: loadPolicies(), enforcementLevel: 'mandatory' });
