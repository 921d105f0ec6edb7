import { ConfigurableModuleBuilder, Controller, type Type } from '@nestjs/common';
import { RedisStatusPageController } from './status-page.controller';
import type { RedisStatusPageOptions } from './status-page.options';

/** Where the status page is served, and what decorates its controller; given next to the options. */
export interface StatusPageRoute {
  /** The page's path; its feed is `<path>/stream`. @default 'status' */
  path?: string;
  /**
   * Decorators for the page's controller (both routes), applied in order: your guards, or your
   * rate limit, e.g. `[RateLimit('auth')]`.
   */
  decorators?: ClassDecorator[];
}

/**
 * `forRoot(options)` / `forRootAsync({ useFactory, inject, imports })`, built by Nest, with `path`
 * and `decorators` ({@link StatusPageRoute}) beside the options.
 */
export const {
  ConfigurableModuleClass: StatusPageConfigurableModule,
  MODULE_OPTIONS_TOKEN: STATUS_PAGE_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<RedisStatusPageOptions>({ moduleName: 'RedisStatusPage' })
  .setClassMethodName('forRoot')
  .setExtras<StatusPageRoute>({ path: 'status', decorators: [] }, (definition, route) => ({
    ...definition,
    controllers: [statusPageController(route)],
  }))
  .build();

/** A controller of the status page's routes at `path`, with `decorators` applied. */
function statusPageController({ path = 'status', decorators = [] }: StatusPageRoute): Type<RedisStatusPageController> {
  class StatusPageController extends RedisStatusPageController {}
  for (const decorate of [Controller(path), ...decorators]) decorate(StatusPageController);
  return StatusPageController;
}
