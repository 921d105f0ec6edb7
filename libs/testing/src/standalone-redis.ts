import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port';
import { RedisServerProcess, type RedisServerProcessOptions } from './redis-server-process';

/**
 * Starts one standalone `redis-server` on a free loopback port in a private temp directory.
 * `dispose()` stops it and removes the directory.
 *
 * @example
 * const { server, dispose } = await startStandaloneRedis();
 * // … use server.port …
 * await dispose();
 */
export async function startStandaloneRedis(
  options: Pick<RedisServerProcessOptions, 'configLines' | 'password'> = {},
): Promise<{ server: RedisServerProcess; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-kit-standalone-'));
  const server = new RedisServerProcess({ ...options, port: await findFreePort(), dir });
  const dispose = async (): Promise<void> => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await server.start();
  } catch (error) {
    await dispose();
    throw error;
  }
  return { server, dispose };
}
