import { Controller, Get, Param } from '@nestjs/common';
import { RateLimit } from '@sentinel-kit/rate-limit';
import { GreetingService } from './greeting.service.js';

@Controller('greetings')
export class GreetingsController {
  constructor(private readonly greetings: GreetingService) {}

  @Get(':name')
  @RateLimit({ points: 5, duration: '10s' }) // per client IP, shared by every instance
  greet(@Param('name') name: string) {
    return this.greetings.greet(name);
  }
}
