// The offline synth: run a Pulumi program under mocks and record every resource as `resources.json` lists it.
export { SynthProgramError, synthesize, type SynthOptions, type SynthRun } from './engine';
export { SynthError } from './errors';
export { SECRET_PLACEHOLDER, type StackConfig, type SynthResource } from './record';
export { recordRegistrations, type Recording } from './recorder';
