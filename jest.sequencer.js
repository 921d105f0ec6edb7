const Sequencer = require('@jest/test-sequencer').default;

/**
 * The suites that run longest, longest first (measured in `.ci/run`, docs/testing.md): each takes
 * 100–170 s, mostly waiting on failovers or on npm, so the run ends soon after the last of them does.
 */
const LONGEST = [
  /examples\/consumers\.int-spec/,
  /libs\/redis\/test\/sentinel-failover\.int-spec/,
  /chaos\/chaos\.int-spec/,
  /libs\/session\/test\/session-failover\.int-spec/,
];

/**
 * Jest's own order (failed first, then slowest first by the timings of the last run on this
 * machine), except on a machine without timings, a fresh CI machine: there Jest falls back to file
 * size, which would start the consumer tests (a small file, about 170 s) last, and the run would
 * wait for them alone. Then the suites known to run longest start first.
 */
class LongestFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.every((test) => test.duration != null)) return sorted;
    const rank = (test) => {
      const index = LONGEST.findIndex((pattern) => pattern.test(test.path));
      return index < 0 ? LONGEST.length : index;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongestFirst;
