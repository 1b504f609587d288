import { join } from 'node:path';
import { InventoryHashMismatchError, InventorySchemaError, createInventory, diffInventories, loadInventory, serializeInventory, verifyInventory, type ResourceInventory } from '../../src';
import { shortUrn } from '../../src/resourceDiff';
import { record, removeDir, synthFixture, tempDir, writeJson, type SynthRecordFixture } from './support';

/** The dev synth fixture, changed by `change`, as an inventory. */
function devInventory(change: (records: SynthRecordFixture[]) => void = () => undefined): ResourceInventory {
  const { records } = synthFixture('dev');
  change(records);
  return createInventory(records, 'dev');
}

const urnOf = (inventory: ResourceInventory, name: string): string => {
  const urn = Object.keys(inventory.resources).find((u) => inventory.resources[u].name === name);
  if (!urn) throw new Error(`no ${name}`);
  return urn;
};

describe('createInventory', () => {
  it('lists every resource by URN, sorted, with type, parent component and inputs, and hashes it', () => {
    // Prepare
    const { records } = synthFixture('dev');

    // Act
    const inventory = createInventory(records, 'dev');

    // Assess
    const urns = Object.keys(inventory.resources);
    expect(urns).toHaveLength(records.length);
    expect(urns).toEqual([...urns].sort());
    const alarm = inventory.resources[urnOf(inventory, 'tap-monitoring-lambda-errors')];
    expect(alarm).toMatchObject({
      type: 'aws:cloudwatch/metricAlarm:MetricAlarm',
      parent: expect.stringMatching(/tap:monitoring:MonitoringComponent::tap-monitoring$/),
      custom: true,
      inputs: { period: 300, evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: 'notBreaching', threshold: 10 },
    });
    expect(inventory.inventoryHash).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyInventory(JSON.parse(serializeInventory(inventory)))).toEqual(inventory);
  });

  it('is the same inventory (and hash) whatever order the synth lists resources and keys in', () => {
    // Prepare
    const { records } = synthFixture('dev');
    const shuffled = [...records].reverse().map((r) => ({ ...r, inputs: Object.fromEntries(Object.entries(r.inputs).reverse()) }));

    // Act
    const a = createInventory(records, 'dev');
    const b = createInventory(shuffled, 'dev');

    // Assess
    expect(serializeInventory(b)).toBe(serializeInventory(a));
  });

  it('writes references to other resources as ${ref:<name>.<attribute>}, not as mock ids or ARNs', () => {
    // Act
    const inventory = devInventory();

    // Assess
    const fn = inventory.resources[urnOf(inventory, 'tap-payments-function')].inputs;
    expect(fn['role']).toBe('${ref:tap-payments-role.arn}');
    expect(fn['environment']).toMatchObject({ variables: { DB_ENDPOINT: '${ref:tap-db-cluster.endpoint}', DB_SECRET_ARN: '${ref:tap-secrets-secret.arn}' } });
    expect(fn['vpcConfig']).toMatchObject({ securityGroupIds: ['${ref:tap-payments-sg.id}'] });
    // The cluster's nested output names the key's ARN too: the key's own attribute wins.
    expect(inventory.resources[urnOf(inventory, 'tap-db-cluster')].inputs['kmsKeyId']).toBe('${ref:tap-key.arn}');
  });

  it('replaces the image digest, and lists every place it did so in the inventory', () => {
    // Act
    const inventory = devInventory();

    // Assess
    const text = serializeInventory(inventory);
    expect(text).not.toMatch(/@sha256:[0-9a-f]{64}/);
    expect(inventory.resources[urnOf(inventory, 'tap-payments-function')].inputs['imageUri']).toMatch(/payment-processor-dev-001@sha256:<digest>$/);
    expect(inventory.normalisation.volatile).toEqual([
      { rule: 'image-digest', urn: urnOf(inventory, 'tap-payments-function'), path: 'imageUri' },
      { rule: 'image-digest', urn: urnOf(inventory, 'tap-payments-migrate-function'), path: 'imageUri' },
      { rule: 'image-digest', urn: urnOf(inventory, 'tap-payments-migrate-invocation'), path: 'triggers.imageDigest' },
    ]);
  });

  it('does not change when only the digest changes (a rebuild of the same content)', () => {
    // Prepare: a rebuild moves the image's repoDigest output and every input that carries it, together.
    const rebuilt = devInventory((records) => {
      for (const r of records) {
        const json = JSON.stringify({ inputs: r.inputs, outputs: r.outputs }).replace(/@sha256:[0-9a-f]{64}/g, `@sha256:${'f'.repeat(64)}`);
        Object.assign(r, JSON.parse(json));
      }
    });

    // Act + Assess
    expect(rebuilt.inventoryHash).toBe(devInventory().inventoryHash);
  });

  it('never lets a secret through: Pulumi secrets, secret-bearing keys, and the synth outputs', () => {
    // Prepare
    const signature = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: 'wrapped-s3cr3t' };
    const { records } = synthFixture('dev');
    const password = record(records, 'tap-secrets-password');
    const leaked = String((password.outputs as Record<string, unknown>)['result']);
    record(records, 'tap-secrets-secret-version').inputs['secretString'] = 'plain-s3cr3t';
    record(records, 'tap-payments-function').inputs['environment'] = { variables: { TOKEN: signature, DB_PASSWORD: '[secret]' } };
    record(records, 'tap-payments-image').inputs['registry'] = { server: 'x', username: 'AWS', password: 'ecr-s3cr3t' };

    // Act
    const text = serializeInventory(createInventory(records, 'dev'));

    // Assess
    expect(leaked).toMatch(/^synth-/);
    for (const secret of ['plain-s3cr3t', 'wrapped-s3cr3t', 'ecr-s3cr3t', leaked]) expect(text).not.toContain(secret);
    // A plain value under a secret-bearing key is recorded as its digest; a secret the synth gave no digest stays "[secret]".
    expect(text).toMatch(/"secretString": \{\s*"secret": "sha256:[0-9a-f]{64}"\s*\}/);
    expect(text).toContain('"TOKEN": "[secret]"');
  });

  it('refuses what is not the synth record list, and a URN registered twice', () => {
    // Prepare
    const { records } = synthFixture('dev');

    // Act + Assess
    expect(() => createInventory({ resources: [] }, 'dev', 'x.json')).toThrow(InventorySchemaError);
    expect(() => createInventory([{ urn: 'nope' }], 'dev', 'x.json')).toThrow(/^x\.json: not a valid resource inventory: 0\.urn/);
    expect(() => createInventory([...records, records[3]], 'dev', 'x.json')).toThrow(`x.json: not a valid resource inventory: ${records[3].urn}: registered twice`);
  });
});

describe('verifyInventory and loadInventory', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('inventory')));
  afterEach(() => removeDir(dir));

  it('refuses a hand-edited inventory (hash mismatch) and another environment', () => {
    // Prepare
    const edited = JSON.parse(serializeInventory(devInventory()));
    edited.resources[urnOf(edited, 'tap-monitoring-lambda-errors')].inputs.period = 3600;
    writeJson(join(dir, 'dev.resources.json'), edited);
    writeJson(join(dir, 'prod.resources.json'), devInventory());

    // Act + Assess
    expect(() => verifyInventory(edited, 'dev.resources.json')).toThrow(InventoryHashMismatchError);
    expect(() => loadInventory(join(dir, 'dev.resources.json'), 'dev')).toThrow(/inventoryHash [0-9a-f]{64} does not match the resources .* regenerate it with drift-approve/);
    expect(() => loadInventory(join(dir, 'prod.resources.json'), 'prod')).toThrow(/is the inventory of dev, but its manifest is prod's/);
  });

  it('refuses unknown keys in a stored inventory', () => {
    // Act + Assess
    expect(() => verifyInventory({ ...devInventory(), extra: 1 }, 'f.json')).toThrow(/^f\.json: not a valid resource inventory: \(root\): Unrecognized key/);
  });
});

describe('diffInventories', () => {
  it('names the monitoring regression the configuration manifest cannot see: three alarm settings and treatMissingData', () => {
    // Prepare: ALARM_SETTINGS.lambdaErrors = { period: 3600, evaluationPeriods: 24, datapointsToAlarm: 24 } and
    // TREAT_MISSING_DATA.aurora = 'notBreaching' in packages/monitoring: the errors alarm is effectively off, and the
    // 18-field configuration manifest is unchanged.
    const approved = devInventory();
    const current = devInventory((records) => {
      for (const name of ['tap-monitoring-lambda-errors', 'tap-monitoring-migrate-errors', 'tap-monitoring-rotation-errors']) {
        Object.assign(record(records, name).inputs, { period: 3600, evaluationPeriods: 24, datapointsToAlarm: 24 });
      }
      for (const name of ['tap-monitoring-aurora-cpu', 'tap-monitoring-aurora-connections']) record(records, name).inputs['treatMissingData'] = 'notBreaching';
    });

    // Act
    const diff = diffInventories(approved, current);

    // Assess
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 5, properties: 11 });
    expect(diff.components.map((c) => c.label)).toEqual(['tap-monitoring (tap:monitoring:MonitoringComponent)']);
    const byName = Object.fromEntries(diff.components[0].resources.map((r) => [r.name, r.properties]));
    expect(byName['tap-monitoring-lambda-errors']).toEqual([
      { path: 'datapointsToAlarm', kind: 'changed', before: 1, after: 24 },
      { path: 'evaluationPeriods', kind: 'changed', before: 1, after: 24 },
      { path: 'period', kind: 'changed', before: 300, after: 3600 },
    ]);
    expect(byName['tap-monitoring-aurora-cpu']).toEqual([{ path: 'treatMissingData', kind: 'changed', before: 'breaching', after: 'notBreaching' }]);
    expect(byName['tap-monitoring-aurora-connections']).toEqual([{ path: 'treatMissingData', kind: 'changed', before: 'breaching', after: 'notBreaching' }]);
  });

  it('reports a removed resource under its component', () => {
    // Prepare
    const approved = devInventory();
    const current = devInventory((records) => records.splice(records.indexOf(record(records, 'tap-payments-db-ingress')), 1));

    // Act
    const diff = diffInventories(approved, current);

    // Assess
    expect(diff.counts).toEqual({ added: 0, removed: 1, changed: 0, properties: 0 });
    expect(diff.components).toEqual([
      expect.objectContaining({
        label: 'tap-payments (tap:lambda:LambdaComponent)',
        removed: 1,
        resources: [{ urn: urnOf(approved, 'tap-payments-db-ingress'), type: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', name: 'tap-payments-db-ingress', kind: 'removed', properties: [] }],
      }),
    ]);
  });

  it('reports an added resource under its component', () => {
    // Prepare: a second HTTPS egress rule, open to the internet.
    const approved = devInventory();
    const current = devInventory((records) => {
      const rule = record(records, 'tap-payments-egress-https-0');
      records.push({ ...rule, urn: rule.urn.replace(/-0$/, '-1'), name: 'tap-payments-egress-https-1', id: 'securitygroupegressrule-new' });
    });

    // Act
    const diff = diffInventories(approved, current);

    // Assess
    expect(diff.counts).toEqual({ added: 1, removed: 0, changed: 0, properties: 0 });
    expect(diff.components[0]).toMatchObject({ label: 'tap-payments (tap:lambda:LambdaComponent)', added: 1, resources: [{ name: 'tap-payments-egress-https-1', kind: 'added' }] });
  });

  it('diffs an IAM statement inside a JSON policy string structurally', () => {
    // Prepare: the payment function may now also put secret values.
    const approved = devInventory();
    const current = devInventory((records) => {
      const policy = record(records, 'tap-payments-role-policy');
      const document = JSON.parse(String(policy.inputs['policy']));
      document.Statement[1].Action.push('secretsmanager:PutSecretValue');
      policy.inputs['policy'] = JSON.stringify(document);
    });

    // Act
    const diff = diffInventories(approved, current);

    // Assess
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 1, properties: 1 });
    expect(diff.components[0].resources[0]).toMatchObject({
      name: 'tap-payments-role-policy',
      properties: [
        {
          path: 'policy.Statement[1].Action',
          kind: 'changed',
          before: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          after: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue'],
        },
      ],
    });
  });

  it('reports a changed dependency and parent', () => {
    // Prepare: the payment function no longer waits for the migration.
    const approved = devInventory();
    const current = devInventory((records) => {
      const fn = record(records, 'tap-payments-function');
      fn.dependencies = (fn.dependencies ?? []).filter((urn) => !urn.endsWith('::tap-payments-migrate-invocation'));
    });

    // Act
    const diff = diffInventories(approved, current);

    // Assess
    expect(diff.components[0].resources[0].properties).toEqual([
      { path: '(dependencies)', kind: 'changed', before: ['tap-payments-migrate-invocation (aws:lambda/invocation:Invocation)'], after: [] },
    ]);
  });

  it('shortens URNs to name and type, names with "::" included', () => {
    // Act + Assess
    expect(shortUrn('urn:pulumi:dev::TapStack::tap:stack:TapStack$tap:database:DatabaseComponent::tap-db')).toBe('tap-db (tap:database:DatabaseComponent)');
    expect(shortUrn('urn:pulumi:dev::TapStack::pulumi:pulumi:Stack$aws:s3/bucket:Bucket::a::b')).toBe('a::b (aws:s3/bucket:Bucket)');
  });

  it('is empty for the same inventory', () => {
    // Act + Assess
    expect(diffInventories(devInventory(), devInventory())).toEqual({ counts: { added: 0, removed: 0, changed: 0, properties: 0 }, components: [] });
  });
});
