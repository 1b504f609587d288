import { liveDrift } from './liveDrift';

// Entry of dist/apps/tap-stack/live-drift.js (scripts/live-drift.mjs runs it).
process.exit(liveDrift(process.argv.slice(2)));
