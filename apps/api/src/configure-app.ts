import type { INestApplication } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { apiEnvConfig } from './config/api-env.config';

/**
 * What `main.ts` and the end-to-end tests both apply to the app before it serves: Express' `trust
 * proxy` from `TRUST_PROXY` (client IPs, and so rate-limit buckets, depend on it).
 */
export function configureApp(app: INestApplication): void {
  const { trustProxy } = app.get<ConfigType<typeof apiEnvConfig>>(apiEnvConfig.KEY);
  (app as NestExpressApplication).set('trust proxy', trustProxy);
}
