export { CapturedLogger } from './captured-logger';
export { findFreePort } from './free-port';
export { sendCommand, type RedisEndpoint } from './redis-command';
export { RedisServerProcess, type RedisServerProcessOptions } from './redis-server-process';
export { SentinelTopology, type SentinelTopologyOptions } from './sentinel-topology';
export { reportMeasure } from './report';
export { startStandaloneRedis } from './standalone-redis';
export { timed } from './timed';
export { waitFor, type WaitForOptions } from './wait-for';
