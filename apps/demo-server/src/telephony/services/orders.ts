import { randomUUID } from 'node:crypto';
import type { OrderItem, OrderSearchRequest } from '@callwire/types';
import { emitOrder } from '../account-events.js';
import type { TelephonyDeps } from '../deps.js';
import { insufficientBalance, notFound } from '../errors.js';
import { listOf, type Page } from '../list.js';
import { NUMBER_PURCHASE_MICROS } from '../money.js';
import { orderOut } from '../serialize.js';
import { planOrder } from '../sim/orders.js';
import { OrderStore } from '../stores/order-store.js';
import { iso } from '../time.js';

/** Number orders through the API; the simulator (`sim/orders.ts`) processes them. */
export class OrdersService {
  readonly deps: TelephonyDeps;
  readonly #orders: OrderStore;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
    this.#orders = new OrderStore(deps.db);
  }

  #now(): string {
    return iso(this.deps.sim.now());
  }

  async createOrder(
    accountId: string,
    items: { tn: string; features: ('voice' | 'sms')[]; autorenew: boolean }[],
  ) {
    const cost = items.length * NUMBER_PURCHASE_MICROS;
    const now = this.#now();
    const order = await this.deps.events.transaction(async (trx, emit, schedule) => {
      // 402 up front when the balance cannot cover every item; each item is debited on its own
      // when it is processed, so the balance still never goes below zero.
      if ((await this.deps.ledger.balance(trx, accountId)) < cost) throw insufficientBalance(cost);
      const row = {
        uuid: randomUUID(),
        account_id: accountId,
        state: 'created',
        items: JSON.stringify(
          items.map<OrderItem>((i) => ({ ...i, state: 'pending', lease: null, error: null })),
        ),
        errors: '[]',
        cost_micros: 0,
        created_on: now,
        modified_on: now,
      };
      await new OrderStore(trx).insert(row);
      const out = orderOut(row);
      await emitOrder(emit, accountId, out);
      planOrder(schedule, accountId, out.uuid);
      return out;
    });
    return order;
  }

  async getOrder(accountId: string, uuid: string) {
    const row = await this.#orders.get(accountId, uuid);
    if (row === undefined) throw notFound('order');
    return orderOut(row);
  }

  async searchOrders(accountId: string, body: OrderSearchRequest, page: Page) {
    const { total, rows } = await this.#orders.search(
      accountId,
      {
        state: body.state,
        createdFrom: body.created_on_from === undefined ? undefined : iso(Date.parse(body.created_on_from)),
        createdTo: body.created_on_to === undefined ? undefined : iso(Date.parse(body.created_on_to)),
      },
      page,
    );
    return listOf(page, total, rows.map(orderOut));
  }
}
