import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { RedisConfigError, formatConfigIssues } from '@sentinel-kit/redis';
import type { ResolvedRateLimitOptions } from './options/rate-limit-options.interface';
import { rateLimitRuleSchema } from './options/rate-limit-rule.schema';
import { RATE_LIMIT_RESOLVED_OPTIONS } from './rate-limit.constants';
import { RATE_LIMIT_RULE, type RateLimitRule } from './rate-limit.decorator';

/**
 * Checks every `@RateLimit()` of every controller when the application starts, so that a
 * malformed rule or an unknown rule name stops startup with a clear message instead of failing
 * requests later.
 */
@Injectable()
export class RateLimitRulesValidator implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(RATE_LIMIT_RESOLVED_OPTIONS) private readonly options: ResolvedRateLimitOptions,
  ) {}

  /** @throws RedisConfigError listing every bad `@RateLimit()`. */
  onModuleInit(): void {
    const problems: string[] = [];
    for (const { metatype } of this.discovery.getControllers()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      const targets: [object, string][] = [
        [metatype, metatype.name],
        ...this.scanner
          .getAllMethodNames(prototype)
          .map((method): [object, string] => [prototype[method] as object, `${metatype.name}.${method}`]),
      ];
      for (const [target, where] of targets) {
        const rule = this.reflector.get<RateLimitRule | string | undefined>(RATE_LIMIT_RULE, target as never);
        if (rule !== undefined)
          problems.push(...this.problemsOf(rule).map((problem) => `@RateLimit on ${where}: ${problem}`));
      }
    }
    if (problems.length > 0) throw new RedisConfigError(problems, 'rate-limit');
  }

  private problemsOf(rule: RateLimitRule | string): string[] {
    if (typeof rule === 'string') {
      if (Object.hasOwn(this.options.rules, rule)) return [];
      const known = Object.keys(this.options.rules);
      return [`no rule named "${rule}" in the module's rules (known: ${known.length ? known.join(', ') : 'none'})`];
    }
    const parsed = rateLimitRuleSchema.safeParse(rule, { reportInput: true });
    return parsed.success ? [] : formatConfigIssues(parsed.error.issues);
  }
}
