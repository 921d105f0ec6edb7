export { findFreePort } from './free-port';
export { sendCommand, type RedisEndpoint } from './redis-command';
export { RedisServerProcess, type RedisServerProcessOptions } from './redis-server-process';
export { SentinelTopology, type SentinelTopologyOptions } from './sentinel-topology';
export { startStandaloneRedis } from './standalone-redis';
export { waitFor, type WaitForOptions } from './wait-for';
