const Sequencer = require('@jest/test-sequencer').default;

/**
 * The suites that run longest, longest first (measured in `.ci/run`, docs/testing.md): the first five
 * take 120–280 s each, mostly waiting on failovers or on npm. Started first, they run beside the
 * many short ones, which the sixth worker takes; started late (Jest orders a fresh machine's suites
 * by file size), one of them ends the run alone (the quick-start test did: 320 s).
 */
const LONGEST = [
  /examples\/consumers\.int-spec/,
  /chaos\/chaos\.int-spec/,
  /apps\/api\/test\/quick-start\.e2e-spec/,
  /libs\/session\/test\/session-failover\.int-spec/,
  /libs\/redis\/test\/sentinel-write-hold\.int-spec/,
  // Then the ones of 25–75 s, next: by file size, the small files among them (chaos-cluster, the
  // RESP2 wrappers) would start last and end the run alone (a 307 s run ended with them).
  /apps\/api\/test\/sessions-failover\.e2e-spec/,
  /libs\/redis\/test\/switchover\.int-spec/,
  /chaos\/chaos-cluster\.int-spec/,
  /libs\/redis\/test\/sentinel-failover\.int-spec/,
  /libs\/redis\/test\/nat-map\.int-spec/,
  /libs\/redis\/test\/resp2\//,
  /libs\/redis\/test\/sentinel-tls\.int-spec/,
  /apps\/api\/test\/(cluster|security|status-page|health)\.e2e-spec/,
];

/**
 * Jest's own order (failed first, then slowest first by the timings of the last run on this
 * machine), except on a machine without timings, a fresh CI machine: there Jest falls back to file
 * size, which would start the consumer tests (a small file, the longest suite) last, and the run
 * would wait for them alone. Then the suites known to run longest start first.
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
