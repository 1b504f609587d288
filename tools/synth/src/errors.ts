/**
 * The synth could not produce output. `kind` tells why: `input` for the synth's own inputs (config file, fixture,
 * program bundle), `program` when the program itself failed (invalid configuration, a bad networking reference).
 */
export class SynthError extends Error {
  readonly kind: 'input' | 'program';

  constructor(message: string, kind: 'input' | 'program' = 'program') {
    super(message);
    this.name = 'SynthError';
    this.kind = kind;
  }
}
