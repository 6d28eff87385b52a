import { AuthenticationError } from '../errors/classes.js';
import type {
  AuthChangeListener,
  AuthKind,
  AuthorizeOptions,
  AuthorizeTarget,
  AuthStrategy,
} from '../strategy.js';

const RESOLVED = Promise.resolve();
const FALSE = Promise.resolve(false);
const noop = () => {};

export interface StaticStrategyParts {
  kind: AuthKind;
  accountId: string | undefined;
  /** The ready-made `Authorization` value. */
  authorization: string;
  /** Called for account-scoped requests without a bound account; may throw or look accounts up. */
  guard?: (target: AuthorizeTarget) => Promise<void>;
  token: () => Promise<string>;
  forAccount: (accountId: string) => AuthStrategy;
  onChange?: (listener: AuthChangeListener) => () => void;
  dispose?: () => void;
}

/**
 * The shape shared by credentials that never change (Basic, API token, Integrator): the header is
 * computed once, so authorize() is a header write; refresh() resolves false, as nothing can be
 * renewed and the 401 stands.
 */
export function staticStrategy(parts: StaticStrategyParts): AuthStrategy {
  const { authorization, accountId, guard } = parts;
  let disposed = false;
  const disposedError = () =>
    new AuthenticationError({
      status: undefined,
      code: 'disposed',
      message: 'This auth strategy was disposed',
    });

  const set = (target: AuthorizeTarget) => {
    target.headers.set('authorization', authorization);
    if (accountId !== undefined) target.headers.set('x-account-id', accountId);
  };

  return {
    kind: parts.kind,
    accountId,
    authorize(target: AuthorizeTarget, options?: AuthorizeOptions) {
      if (disposed) return Promise.reject(disposedError());
      try {
        if (accountId === undefined && guard !== undefined && options?.accountScoped !== false) {
          return guard(target).then(() => set(target));
        }
        set(target);
        return RESOLVED;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    token() {
      if (disposed) return Promise.reject(disposedError());
      return parts.token();
    },
    refresh() {
      return FALSE;
    },
    forAccount(id: string) {
      if (disposed) throw disposedError();
      return parts.forAccount(id);
    },
    onChange(listener: AuthChangeListener) {
      return parts.onChange?.(listener) ?? noop;
    },
    dispose() {
      disposed = true;
      parts.dispose?.();
    },
  };
}
