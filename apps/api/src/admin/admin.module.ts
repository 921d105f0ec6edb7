import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';

/** `/admin/*`: operator actions. */
@Module({ controllers: [AdminController] })
export class AdminModule {}
