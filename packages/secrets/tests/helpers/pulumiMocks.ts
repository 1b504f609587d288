import * as pulumi from '@pulumi/pulumi';
import { installMocks, type Mocks } from '@tap/pulumi-testing';

/** The password the mocked RandomPassword "generates": tests check it never reaches an output in plain text. */
export const INITIAL_PASSWORD = 'Initial-PLAINTEXT-pa55word!';

/**
 * The shared mocks, plus a `result` for `random.RandomPassword` (the shared helper echoes inputs only), so the secret's
 * JSON carries a real password value that tests can hunt for.
 */
export function installSecretsMocks(): Mocks {
  const mocks = installMocks();
  const monitor = pulumi.runtime.getMonitor() as unknown as { mocks: pulumi.runtime.Mocks };
  const shared = monitor.mocks.newResource.bind(monitor.mocks);
  monitor.mocks.newResource = (args) => {
    const created = shared(args);
    if (args.type !== 'random:index/randomPassword:RandomPassword') return created;
    return Promise.resolve(created).then((r) => ({ ...r, state: { ...r.state, result: INITIAL_PASSWORD } }));
  };
  return mocks;
}
