import type { AuthStrategy } from '@callwire/auth-core';

/** A fixed token the bench server accepts: no refresh, no accounts, nothing to dispose. */
export const benchAuth: AuthStrategy = {
  kind: 'token',
  accountId: undefined,
  token: async () => 'bench-token',
  refresh: async () => false,
  authorize: async (target) => {
    target.headers.set('authorization', 'Bearer bench-token');
  },
  forAccount: () => benchAuth,
  onChange: () => () => {},
  dispose: () => {},
};
