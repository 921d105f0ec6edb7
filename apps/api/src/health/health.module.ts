import { Module } from '@nestjs/common';
import { RedisHealthModule } from '@sentinel-kit/redis/health';
import { HealthController } from './health.controller';

/** The `/health` endpoint. */
@Module({
  imports: [RedisHealthModule],
  controllers: [HealthController],
})
export class HealthModule {}
