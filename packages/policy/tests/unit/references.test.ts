import { NotApplicableError, stackValidationArgs } from '../../src';
import { ofTypeOrNotApplicable } from '../../src/references';
import { record, tags } from '../helpers';

const FN = 'aws:lambda/function:Function';

describe('ofTypeOrNotApplicable', () => {
  it('returns the resources of the type that the filter keeps', () => {
    // Prepare
    const args = stackValidationArgs([record(FN, 'a', { name: 'a' }), record(FN, 'b', { name: 'b' }), record('aws:sns/topic:Topic', 't', {})], tags('dev'));

    // Act
    const found = ofTypeOrNotApplicable(args, FN, 'no function', (r) => r.name !== 'b');

    // Assess
    expect(found.map((r) => r.name)).toEqual(['a']);
  });

  it('declares the policy not applicable, with the reason, when none is left', () => {
    // Prepare
    const args = stackValidationArgs([record(FN, 'a', { name: 'a' })], tags('dev'));

    // Act
    const act = () => ofTypeOrNotApplicable(args, FN, 'no kept function', () => false);

    // Assess
    expect(act).toThrow(NotApplicableError);
    expect(act).toThrow('no kept function');
  });
});
