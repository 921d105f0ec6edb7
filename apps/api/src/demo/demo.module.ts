import { Module } from '@nestjs/common';
import { DemoController } from './demo.controller';
import { DemoOrders } from './demo-orders';
import { DemoOrdersController } from './demo-orders.controller';

/** `/demo/*`. */
@Module({ controllers: [DemoController, DemoOrdersController], providers: [DemoOrders] })
export class DemoModule {}
