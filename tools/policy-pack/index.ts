// The only place that constructs the PolicyPack: the constructor starts the analyzer's gRPC server for the Pulumi CLI,
// so tests and the offline CLI use the `policies` array of @tap/policy instead.
import { PolicyPack, type Policies } from '@pulumi/policy';
// The package's build (`npx nx build policy` in the workspace, where node_modules/@tap/policy links to packages/policy;
// the compiled package when installed).
import { policies } from '@tap/policy';

new PolicyPack('tap-security', { policies: [...policies] as Policies, enforcementLevel: 'mandatory' });
