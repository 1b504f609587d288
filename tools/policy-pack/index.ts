// The only place that constructs the PolicyPack: the constructor starts the analyzer's gRPC server for the Pulumi CLI,
// so tests and the offline CLI use the `policies` array of @tap/policy instead.
import { PolicyPack, type Policies } from '@pulumi/policy';
import { join } from 'node:path';

/** Whether Node can resolve `candidate` (a missing package, or one whose entry point is not built, cannot). */
function resolvable(candidate: string): boolean {
  try {
    require.resolve(candidate);
    return true;
  } catch {
    return false;
  }
}

/**
 * `@tap/policy` as installed (a published install, where the package is compiled), else this workspace's build
 * (`npx nx run policy:link-built` → dist/packages/policy, its @tap/* dependencies linked beside it): in the workspace
 * the package links to its TypeScript sources, which Node cannot load without the workspace's path mapping.
 */
function loadPolicies(): Policies {
  const candidate = ['@tap/policy', join(__dirname, '..', '..', 'dist', 'packages', 'policy')].find(resolvable);
  if (candidate === undefined) throw new Error('@tap/policy is not built: run `npx nx run policy:link-built` at the repository root, then retry.');
  // Resolved, so whatever fails while loading it (a broken build) surfaces as itself.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return [...(require(candidate) as { policies: Policies }).policies];
}

new PolicyPack('tap-security', { policies: loadPolicies(), enforcementLevel: 'mandatory' });
