import { Module } from '@nestjs/common';
import { DemoController } from './demo.controller';

/** `/demo/*`. */
@Module({ controllers: [DemoController] })
export class DemoModule {}
