import { Controller, Get } from '@nestjs/common';
import { RateLimit } from '@sentinel-kit/rate-limit';

/** Routes that show the toolkit at work. */
@Controller('demo')
export class DemoController {
  /** Limited per client IP by `DEMO_RATE_LIMIT`; the RateLimit headers say how much is left. */
  @Get('limited')
  @RateLimit('demo')
  limited(): { message: string } {
    return { message: 'within the limit; see the RateLimit and RateLimit-Policy headers' };
  }
}
