import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ConfigType } from '@nestjs/config';
import { AppModule } from './app.module';
import { apiEnvConfig, resolveApiEnv } from './config/api-env.config';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  // Read before the app exists, to choose its logger; the app validates the same variables again.
  const { logFormat } = resolveApiEnv(process.env);
  const app = await NestFactory.create(AppModule, {
    abortOnError: false,
    logger: logFormat === 'json' ? new ConsoleLogger({ json: true }) : undefined,
  });
  app.enableShutdownHooks();
  configureApp(app);
  const { port } = app.get<ConfigType<typeof apiEnvConfig>>(apiEnvConfig.KEY);
  await app.listen(port);
  Logger.log(`listening on http://localhost:${port}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  // Configuration errors already name the variable and hide secrets; print them as they are.
  Logger.error(error instanceof Error ? error.message : String(error), undefined, 'Bootstrap');
  // A failed start leaves no shutdown hook to run; do not linger with half-open connections.
  process.exit(1);
});
