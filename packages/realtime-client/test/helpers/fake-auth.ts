import type { AuthChangeListener, AuthStrategy } from '@callwire/auth-core';

/** A strategy whose tokens are `t1`, `t2`, …: refresh() moves to the next one (false once `renewable` is off). */
export class FakeAuth implements AuthStrategy {
  readonly kind = 'session' as const;
  readonly accountId: string | undefined = undefined;
  current = 1;
  renewable = true;
  tokenCalls = 0;
  refreshCalls: (string | undefined)[] = [];
  authorizeCalls = 0;
  listeners = new Set<AuthChangeListener>();

  get token_(): string {
    return `t${this.current}`;
  }

  async token(): Promise<string> {
    this.tokenCalls += 1;
    return this.token_;
  }

  async refresh(options?: { rejected?: string }): Promise<boolean> {
    this.refreshCalls.push(options?.rejected);
    if (!this.renewable) return false;
    const rejected = options?.rejected?.replace(/^Bearer /, '');
    if (rejected !== undefined && rejected !== this.token_) return true;
    this.current += 1;
    return true;
  }

  async authorize(target: { headers: Headers }): Promise<void> {
    this.authorizeCalls += 1;
    target.headers.set('authorization', `Bearer ${this.token_}`);
  }

  forAccount(): AuthStrategy {
    return this;
  }

  onChange(listener: AuthChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {}
}
