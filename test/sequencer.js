// Jest test order for a short wall-clock run on few cores (jestConfig.testSequencer in .projenrc.ts).
//
// Jest's own order (failed first, then slowest first by the timings it cached, else biggest file first) is kept,
// with two exceptions a fresh clone's run (no cached timings) would get wrong:
// - the translations test goes first: on a checkout that was not compiled it runs jsii, jsii-rosetta and
//   jsii-pacmak (the longest chain of the run), so it must start while the other workers have work to do;
// - the tests that pack `lib/` go last: they wait for that build (test/build-lock.ts) and would idle a worker.
// The order changes no test's outcome: each test file builds or reads what it needs itself.
const Sequencer = require('@jest/test-sequencer').default;

const FIRST = ['/test/docs/translations.test.ts'];
const LAST = ['/test/packaging/readme-snippets.test.ts', '/test/docs/package.test.ts'];

const rank = (test) => {
  const file = test.path.split('\\').join('/');
  if (FIRST.some((f) => file.endsWith(f))) {
    return 0;
  }
  return LAST.some((f) => file.endsWith(f)) ? 2 : 1;
};

class FewCoresSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    return sorted
      .map((test, index) => ({ test, index }))
      .sort((a, b) => rank(a.test) - rank(b.test) || a.index - b.index)
      .map(({ test }) => test);
  }
}

module.exports = FewCoresSequencer;
