import type { Access } from '@callwire/types';

/** Which door a request came through. */
export type Door = 'basic' | 'session' | 'api_token' | 'integrator';

export interface PrincipalMembership {
  accountId: string;
  accountName: string;
  access: Access;
}

export interface UserIdentity {
  uuid: string;
  email: string;
  role: 'Admin' | 'User';
  apiAccess: boolean;
  status: 'active' | 'disabled';
  defaultAccountId: string | null;
}

/** A user acting through Basic, a session token or an API token. */
export interface UserPrincipal {
  kind: 'user';
  door: Exclude<Door, 'integrator'>;
  user: UserIdentity;
  /** Every account the user belongs to, with their access. */
  memberships: readonly PrincipalMembership[];
  /** The account a session or API token is bound to; undefined for Basic. */
  boundAccountId: string | undefined;
  /** The session or API token's uuid (undefined for Basic). */
  credentialId: string | undefined;
  /** The session family (session door only). */
  sessionFamilyId: string | undefined;
  /** The raw token presented (session/API token doors), so GET /rest/auth can echo it. */
  token: string | undefined;
  /** Token expiry, epoch ms (token doors). */
  expiresAt: number | undefined;
  /** Rate-limit bucket key. */
  key: string;
}

/** An integrator app: manager access on its linked accounts only. */
export interface IntegratorPrincipal {
  kind: 'integrator';
  door: 'integrator';
  appKey: string;
  name: string;
  memberships: readonly PrincipalMembership[];
  boundAccountId: undefined;
  key: string;
}

export type Principal = UserPrincipal | IntegratorPrincipal;

const RANK: Record<Access, number> = { viewer: 0, manager: 1, admin: 2 };

export function accessAtLeast(have: Access, need: Access): boolean {
  return RANK[have] >= RANK[need];
}

/** The principal's effective access on an account, or undefined when it may not act on it. */
export function accessOn(principal: Principal, accountId: string): Access | undefined {
  const membership = principal.memberships.find((m) => m.accountId === accountId);
  if (membership === undefined) return undefined;
  if (principal.kind === 'user' && principal.user.role === 'Admin') return 'admin';
  return membership.access;
}

/** Who made a request, as stored on records (`user:<uuid>` / `integrator:<app key>`). */
export function principalRef(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.user.uuid}` : `integrator:${principal.appKey}`;
}
