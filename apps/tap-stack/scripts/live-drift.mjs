#!/usr/bin/env node
// Live drift of the tap-stack, run by `nx run tap-stack:drift [--configuration=<env>]`: apps/tap-stack/src/gate/liveDrift.ts
// (options and exit codes there and in the README), built into dist/apps/tap-stack/live-drift.js.
import { launch } from './launch.mjs';

launch('live-drift');
