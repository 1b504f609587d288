import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';

/**
 * A Powertools `SecretsProvider` over `client` (default: a new SDK v3 `SecretsManagerClient`).
 * The SDK and Parameters are loaded here, on first use, so a cold start without a secret never
 * evaluates them: esbuild turns these dynamic imports into lazily initialised modules of the bundle.
 */
export async function createSecretsProvider(client?: SecretsManagerClient): Promise<SecretsProvider> {
  const [sdk, parameters] = await Promise.all([
    import('@aws-sdk/client-secrets-manager'),
    import('@aws-lambda-powertools/parameters/secrets'),
  ]);
  return new parameters.SecretsProvider({ awsSdkV3Client: client ?? new sdk.SecretsManagerClient({}) });
}
