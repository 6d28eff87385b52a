import type { AuthorizeOptions, AuthorizeTarget, AuthStrategy, RefreshOptions } from '@callwire/auth-core';

/** A strategy whose token the test controls: `token` is sent; refresh() moves to `next`. */
export function fakeAuth(initial = 'old-token', next = 'new-token', accountId?: string) {
  const state = {
    token: initial,
    refreshes: 0,
    authorizeCalls: [] as (AuthorizeOptions | undefined)[],
  };
  const strategy: AuthStrategy = {
    kind: 'token',
    accountId,
    authorize(target: AuthorizeTarget, options?: AuthorizeOptions) {
      state.authorizeCalls.push(options);
      target.headers.set('authorization', `Bearer ${state.token}`);
      if (accountId !== undefined) target.headers.set('x-account-id', accountId);
      return Promise.resolve();
    },
    token: () => Promise.resolve(state.token),
    async refresh(options?: RefreshOptions) {
      state.refreshes += 1;
      if (next === '') return false;
      if (options?.rejected !== `Bearer ${state.token}`) return true;
      state.token = next;
      return true;
    },
    forAccount: (id: string) => fakeAuth(state.token, next, id).strategy,
    onChange: () => () => {},
    dispose: () => {},
  };
  return { strategy, state };
}
