import { registerAs } from '@nestjs/config';

/** The sample API's own settings. */
export interface ApiConfig {
  /** HTTP port. @default 3000 */
  port: number;
}

/**
 * `api` namespace: `PORT`, validated at startup.
 * @throws Error naming `PORT` and its value when it is not a port number.
 */
export const apiEnvConfig = registerAs('api', (): ApiConfig => {
  const text = process.env.PORT?.trim();
  if (!text) return { port: 3000 };
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new Error(`Invalid configuration:\n  - PORT: expected an integer from 1 to 65535, got "${text}"`);
  }
  return { port };
});
