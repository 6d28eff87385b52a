import type { Order } from '@callwire/types';
import type { Emit } from './deps.js';

/** `tn.order.updated` with the order as GET returns it. */
export async function emitOrder(emit: Emit, accountId: string, order: Order): Promise<void> {
  await emit({
    accountId,
    type: 'tn.order.updated',
    refId: order.uuid,
    message: `Order ${order.uuid} - ${order.state} (${order.success}/${order.total} numbers)`,
    payload: order,
  });
}

/** `account.balance.changed` with the account after a debit or credit. */
export async function emitBalance(emit: Emit, account: { uuid: string; balance: number }): Promise<void> {
  await emit({
    accountId: account.uuid,
    type: 'account.balance.changed',
    refId: account.uuid,
    message: `Account balance ${account.balance.toFixed(5)} USD`,
    payload: account,
  });
}
