import { CallwireError } from './errors/callwire-error.js';
import { type AccountChoice, AccountRequiredError } from './errors/classes.js';
import { baseUrlFromRequest, callApi, type HttpContext } from './http.js';
import { uuidOf } from './session/payload.js';
import { type SingleFlight, singleFlight } from './single-flight.js';
import type { AuthorizeTarget } from './strategy.js';

/** `[{ uuid, name, … }]` as the choices it holds, or undefined when it is not a list of accounts. */
function readAccountChoices(items: unknown): AccountChoice[] | undefined {
  if (!Array.isArray(items)) return undefined;
  const choices: AccountChoice[] = [];
  for (const item of items) {
    const uuid = uuidOf(item);
    const name = (item as { name?: unknown } | null)?.name;
    if (uuid === undefined || typeof name !== 'string') return undefined;
    choices.push({ uuid, name });
  }
  return choices;
}

/**
 * The accounts a principal may act on (`GET /rest/accounts`), fetched once per principal and shared
 * by every `forAccount()` copy. Failures are not cached: the next request asks again.
 */
export class AccountDirectory {
  private accounts: readonly AccountChoice[] | undefined;
  private readonly flight: SingleFlight<readonly AccountChoice[]>;
  private baseUrl: string | undefined;
  private readonly http: Omit<HttpContext, 'baseUrl'>;
  private readonly authorization: string;

  constructor(http: Omit<HttpContext, 'baseUrl'> & { baseUrl: string | undefined }, authorization: string) {
    this.http = http;
    this.authorization = authorization;
    this.baseUrl = http.baseUrl;
    this.flight = singleFlight(() => this.load());
  }

  /** The cached list, fetching it at most once at a time; undefined when no base URL is known. */
  async list(target?: AuthorizeTarget): Promise<readonly AccountChoice[] | undefined> {
    if (this.accounts !== undefined) return this.accounts;
    this.baseUrl ??= baseUrlFromRequest(target?.url);
    if (this.baseUrl === undefined) return undefined;
    return this.flight();
  }

  private async load(): Promise<readonly AccountChoice[]> {
    const payload = await callApi(
      { ...this.http, baseUrl: this.baseUrl! },
      { method: 'GET', path: '/rest/accounts', authorization: this.authorization },
    );
    // `GET /rest/accounts` is a plain array; tolerate the list envelope too.
    const items = Array.isArray(payload) ? payload : (payload as { data?: unknown } | undefined)?.data;
    const parsed = readAccountChoices(items);
    if (parsed === undefined) {
      throw new CallwireError({
        code: 'invalid_response',
        message: 'GET /rest/accounts did not return a list of accounts',
      });
    }
    this.accounts = parsed;
    return this.accounts;
  }
}

/** True when the request already names its account (`X-Account-Id` header or `account_id` query). */
export function namesAccount(target: AuthorizeTarget): boolean {
  if (target.headers.has('x-account-id')) return true;
  const url = target.url;
  return url?.includes('account_id=') === true && /[?&]account_id=[^&]/.test(url);
}

export function accountRequired(accounts: readonly AccountChoice[], reason: string): AccountRequiredError {
  const names = accounts.map((account) => `${account.name} (${account.uuid})`).join(', ');
  return new AccountRequiredError({
    status: undefined,
    accounts,
    message:
      accounts.length > 0
        ? `${reason}; bind one with forAccount(uuid): ${names}`
        : `${reason}; bind one with forAccount(uuid) or the accountId option`,
  });
}
