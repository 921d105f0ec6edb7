// The `integration (RESP2)` Jest project: the core suites again, speaking RESP2 (see redis-test-app.ts).
process.env.SENTINEL_KIT_TEST_PROTOCOL = '2';
