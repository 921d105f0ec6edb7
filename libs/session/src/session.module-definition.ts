import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ResolvedSessionOptions, SessionModuleOptions } from './options/session-options.interface';

/** `forRoot(options)` / `forRootAsync(...)`; options raw or resolved (e.g. by `sessionEnvConfig`). */
export const { ConfigurableModuleClass: SessionConfigurableModule, MODULE_OPTIONS_TOKEN: SESSION_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<SessionModuleOptions | ResolvedSessionOptions>({ moduleName: 'Session' })
    .setClassMethodName('forRoot')
    .build();
