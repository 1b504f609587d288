import { installMocks, type Mocks } from '@tap/pulumi-testing';

/** The password the mocked RandomPassword "generates": tests check it never reaches an output in plain text. */
export const INITIAL_PASSWORD = 'Initial-PLAINTEXT-pa55word!';

/** The shared mocks, every `random.RandomPassword` generating {@link INITIAL_PASSWORD} for tests to hunt for. */
export function installSecretsMocks(): Mocks {
  return installMocks({ randomPassword: INITIAL_PASSWORD });
}
