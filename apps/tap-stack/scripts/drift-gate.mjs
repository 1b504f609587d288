#!/usr/bin/env node
// The tap-stack drift gate, run by `nx run tap-stack:drift-check` / `drift-approve`: apps/tap-stack/src/gate/driftGate.ts
// (check and approve, options and exit codes there and in the README), built into dist/apps/tap-stack/drift-gate.js.
import { launch } from './launch.mjs';

launch('drift-gate');
