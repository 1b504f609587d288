import { InventoryHashMismatchError, InventorySchemaError, ManifestError, ManifestHashMismatchError, ManifestSchemaError } from '../../src';

describe('manifest errors', () => {
  it.each([
    ['ManifestSchemaError', new ManifestSchemaError('dev.json', ['a: required', 'b: too long']), 'dev.json: not a valid configuration manifest: a: required; b: too long'],
    ['InventorySchemaError', new InventorySchemaError('resources.json', ['urn: registered twice']), 'resources.json: not a valid resource inventory: urn: registered twice'],
  ])('%s names the file and each schema problem', (name, error, message) => {
    // Assess
    expect(error).toBeInstanceOf(ManifestError);
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
    expect(error.code).toBe('schema');
    expect(error.issues.length).toBeGreaterThan(0);
  });

  it.each([
    [
      'ManifestHashMismatchError',
      new ManifestHashMismatchError('prod.json', 'abc', 'def'),
      'prod.json: configHash abc does not match the configuration (recomputed def); the file was edited by hand — regenerate it instead',
    ],
    [
      'InventoryHashMismatchError',
      new InventoryHashMismatchError('prod.resources.json', 'abc', 'def'),
      'prod.resources.json: inventoryHash abc does not match the resources (recomputed def); the file was edited by hand — regenerate it with drift-approve',
    ],
  ])('%s gives both hashes and how to fix it', (name, error, message) => {
    // Assess
    expect(error).toBeInstanceOf(ManifestError);
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
    expect(error.code).toBe('hash-mismatch');
    expect([error.storedHash, error.computedHash]).toEqual(['abc', 'def']);
  });

  it('keeps the manifest and inventory errors apart, so a caller can tell which file failed', () => {
    // Prepare
    const inventory = new InventorySchemaError('resources.json', ['x']);
    const hash = new InventoryHashMismatchError('resources.json', 'a', 'b');

    // Assess
    expect(inventory).not.toBeInstanceOf(ManifestSchemaError);
    expect(hash).not.toBeInstanceOf(ManifestHashMismatchError);
  });
});
