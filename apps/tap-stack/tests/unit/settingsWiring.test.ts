import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { canonicalJson, configuredValue, feedProblem, feedResources } from '@tap/manifest';
import { flush, installMocks, valueOf, type RecordedResource } from '@tap/pulumi-testing';
import {
  ENVIRONMENT_NAMES,
  SETTINGS,
  SETTING_PATHS,
  environmentProfile,
  setSettingValue,
  settingValue,
  type ConfigPath,
  type ConfigValue,
  type EnvironmentConfig,
  type Feed,
} from '@tap/validation';
import { TapStack } from '../../src/tapStack';
import { APP, imageContext } from '../synthHelper';

// Every setting that feeds a resource (the `feeds` of its SETTINGS row), changed one at a time from the dev profile:
// the TapStack must pass the new value into each resource property the row names, by the row's kind. The cases come
// from the rows; the value is another profile's (or the row's `example` where every profile agrees with dev).

/* eslint-disable @typescript-eslint/no-explicit-any -- recorded inputs are free-form JSON */

const network = (env: string): Record<string, unknown> => JSON.parse(readFileSync(join(APP, 'fixtures', 'networking', `${env}.json`), 'utf8')).outputs;
const mocks = installMocks({
  stackOutputs: Object.fromEntries(ENVIRONMENT_NAMES.map((env) => [`organization/networking-stack/${env}`, network(env)])),
});

/**
 * The value that proves setting `path`'s wiring: a profile's value that is not dev's (prod's first: the furthest from
 * dev, so it is not already written into dev's texts), else the row's `example`.
 */
function testValue(path: ConfigPath): unknown {
  const dev = settingValue(environmentProfile('dev', 'w01'), path);
  const other = [...ENVIRONMENT_NAMES].reverse().map((env) => settingValue(environmentProfile(env, 'w01'), path)).find(
    (value) => value !== undefined && canonicalJson(value) !== canonicalJson(dev ?? null),
  );
  return other ?? (SETTINGS[path] as { example?: unknown }).example;
}

/** The rows that feed resources, with their feeds. */
const FED = SETTING_PATHS.flatMap((path) => {
  const feeds = SETTINGS[path].feeds;
  return 'none' in feeds ? [] : [{ path, feeds: feeds as readonly Feed[] }];
});

// Relative, as the program passes it: the Lambda component refuses absolute contexts.
let buildContext: string;
beforeAll(() => {
  buildContext = relative(process.cwd(), imageContext());
});

let runs = 0;
/** Runs the TapStack for `config` under the mocks: its name and the resources it registered. */
async function run(config: EnvironmentConfig): Promise<{ program: string; resources: RecordedResource[] }> {
  const name = `wiring${runs++}`;
  const from = mocks.resources.length;
  const stack = new TapStack(name, {
    config,
    networkingStackRef: `organization/networking-stack/${config.environment}`,
    imageBuildContext: buildContext,
    rotationCode: new pulumi.asset.AssetArchive({}),
    manifestTimestamp: '2025-01-01T00:00:00.000Z',
  });
  await valueOf(stack.configHash);
  await flush(mocks);
  return { program: name, resources: mocks.resources.slice(from).filter((r) => r.name.startsWith(name)) };
}

/** Where each feed of a row does not hold on `stack` for `value`: one line each, `property: what it has` (none: all hold). */
function problems(stack: { program: string; resources: RecordedResource[] }, feeds: readonly Feed[], value: unknown): string[] {
  return feeds.flatMap((feed) => {
    const problem = feedProblem(feed, feedResources(stack.resources, feed, stack.program), value);
    return problem ? [`${feed.type} ${feed.property}: ${JSON.stringify(problem.actual) ?? '(not set)'}`] : [];
  });
}

/** The dev profile with setting `path` set to `value`. */
function changed<P extends ConfigPath>(path: P, value: unknown): EnvironmentConfig {
  const config = environmentProfile('dev', 'w01');
  // The value is a profile's or the row's own example: of the row's type.
  setSettingValue(config, path, value as ConfigValue<P>);
  return config;
}

describe('every setting of SETTINGS reaches the resource properties its row names', () => {
  it('has a value to prove each feeding row with; only the rows that truly feed nothing say so', () => {
    // Act
    const without = FED.filter(({ path }) => testValue(path) === undefined).map(({ path }) => path);
    const none = SETTING_PATHS.filter((path) => 'none' in SETTINGS[path].feeds);

    // Assess: a row whose profiles all agree with dev needs an `example`. Lambda derives vCPU from memory; the AWS
    // provider takes the region from aws:region. A new setting lands in `none` only when it truly feeds no resource.
    expect(without).toEqual([]);
    expect(none.sort()).toEqual(['lambda.vcpu', 'region']);
  });

  let base: { program: string; resources: RecordedResource[] };
  beforeAll(async () => {
    base = await run(environmentProfile('dev', 'w01'));
  });

  it('builds the dev profile with every feed holding its own value', () => {
    // Act
    const dev = environmentProfile('dev', 'w01');
    const found = FED.flatMap(({ path, feeds }) => problems(base, feeds, configuredValue(dev, path)).map((problem) => `${path} ${problem}`));

    // Assess
    expect(found).toEqual([]);
  });

  it.each(FED.map(({ path, feeds }) => [path, feeds] as const))('passes %s into the properties it feeds', async (path, feeds) => {
    // Prepare
    const value = testValue(path);

    // Act
    const after = await run(changed(path, value));

    // Assess: every feed shows the new value, and none did before.
    expect(problems(after, feeds, value)).toEqual([]);
    expect(problems(base, feeds, value)).toHaveLength(feeds.length);
  });
});
