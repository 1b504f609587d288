import { driftGate } from './driftGate';

// Entry of dist/apps/tap-stack/drift-gate.js (scripts/drift-gate.mjs runs it).
process.exit(driftGate(process.argv.slice(2)));
