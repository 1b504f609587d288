import type { TargetConfiguration } from '@nx/devkit';

/** Pulumi targets: filled in by the tap-stack issue. */
export function pulumiTargets(_root: string, _workspaceRoot: string): Record<string, TargetConfiguration> {
  return {};
}
