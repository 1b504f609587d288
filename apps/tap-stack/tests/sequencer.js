// Orders the test files for two workers: the ones that run Nx or the gate scripts in a copy of the workspace (they take
// minutes, the rest seconds) start first, so both workers end at about the same time instead of one running them alone
// at the end. Everything else keeps Jest's own order (earlier failures, then durations, then size).
const { readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

/** A file that drives Nx or a workspace copy: it names the worktree helper or Nx's binary. */
const NESTED = /workspaceCopy|'nx', 'dist', 'bin', 'nx\.js'|nx\.js'/;

class NestedFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const nested = (test) => NESTED.test(readFileSync(test.path, 'utf8'));
    return [...sorted.filter(nested), ...sorted.filter((test) => !nested(test))];
  }
}

module.exports = NestedFirstSequencer;
