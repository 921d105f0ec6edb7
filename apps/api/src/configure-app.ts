import type { INestApplication } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import { assertJsonWithinLimits } from './common/json-limits';
import { apiEnvConfig } from './config/api-env.config';

/**
 * What `main.ts` and the end-to-end tests both apply to the app before it serves: Express' `trust
 * proxy` from `TRUST_PROXY` (client IPs, and so rate-limit buckets, depend on it), no
 * `X-Powered-By`, and JSON bodies of at most 100 kB within the nesting and key limits of
 * {@link assertJsonWithinLimits} (a 400 otherwise).
 */
export function configureApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  const { trustProxy } = app.get<ConfigType<typeof apiEnvConfig>>(apiEnvConfig.KEY);
  express.set('trust proxy', trustProxy);
  express.disable('x-powered-by');
  // Express' own parser rather than useBodyParser: Nest 12 reserves `verify` there (for rawBody).
  // Nest sees a JSON parser in place and adds none of its own.
  express.use(
    json({
      limit: '100kb',
      verify: (_request: unknown, _response: unknown, body: Buffer) => assertJsonWithinLimits(body),
    }),
  );
}
