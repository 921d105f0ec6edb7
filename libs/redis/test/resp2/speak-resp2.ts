// Imported first by the suites of this folder: the suite they import next runs again, speaking
// RESP2 (REDIS_PROTOCOL=2) instead of RESP3 (see TEST_PROTOCOL in redis-test-app.ts).
process.env.SENTINEL_KIT_TEST_PROTOCOL = '2';
