import { kmsDeletionWindow, kmsKeyRotation, TYPES } from '../../src';
import { record, runResource } from '../helpers';

const key = (inputs: Record<string, unknown>) => record(TYPES.kmsKey, 'db-key', { description: 'Aurora storage', ...inputs });

describe('kms-key-rotation', () => {
  it('passes a symmetric key with rotation', () => {
    expect(runResource(kmsKeyRotation, key({ enableKeyRotation: true })).messages).toEqual([]);
  });

  it('reports a key without rotation', () => {
    // Act
    const { messages } = runResource(kmsKeyRotation, key({ enableKeyRotation: false }));
    // Assess
    expect(messages).toEqual(["KMS key 'db-key' does not rotate its key material. Fix: set enableKeyRotation: true."]);
  });

  it('is not applicable to asymmetric keys, which AWS cannot rotate', () => {
    // Act
    const outcome = runResource(kmsKeyRotation, key({ customerMasterKeySpec: 'RSA_2048' }));
    // Assess
    expect(outcome.notApplicable).toBe('key spec RSA_2048 does not support rotation');
    expect(outcome.messages).toEqual([]);
  });
});

describe('kms-deletion-window', () => {
  it.each([[7], [30], [undefined]])('passes a window of %s days (unset is AWS default 30)', (days) => {
    expect(runResource(kmsDeletionWindow, key({ deletionWindowInDays: days })).messages).toEqual([]);
  });

  it.each([[6], [31]])('reports a window of %i days', (days) => {
    // Act
    const { messages } = runResource(kmsDeletionWindow, key({ deletionWindowInDays: days }));
    // Assess
    expect(messages).toEqual([`KMS key 'db-key' has a deletion window of ${days} days. Fix: set deletionWindowInDays between 7 and 30.`]);
  });
});
