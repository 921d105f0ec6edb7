import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { AdminController } from './admin.controller';

/** `/admin/*`: operator actions. */
@Module({ imports: [SessionsModule], controllers: [AdminController] })
export class AdminModule {}
