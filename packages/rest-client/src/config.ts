import type { Hooks } from 'ky';
import type { ClientLogger, ClientOptions } from './options.js';
import { type ResolvedRetry, resolveRetry } from './retry-policy.js';
import { createValidator, noValidation, type ResponseValidation, type Validator } from './validate.js';

/** Options checked once at createClient(); shared by every forAccount() client. */
export interface ResolvedConfig {
  /** `http://host:port/rest/`, ready for path concatenation. */
  restRoot: string;
  timeout: number | false;
  totalTimeout: number | false;
  retry: ResolvedRetry;
  validator: Validator;
  fetch: ClientOptions['fetch'];
  hooks: Hooks | undefined;
  userAgent: string | undefined;
}

function timeoutOption(
  value: number | false | undefined,
  fallback: number | false,
  name: string,
): number | false {
  if (value === undefined) return fallback;
  if (value === false) return false;
  if (typeof value !== 'number' || !(value > 0) || value > 2_147_483_647) {
    throw new TypeError(`${name} must be a positive number of ms (at most 2147483647) or false`);
  }
  return value;
}

function isResponseValidation(value: unknown): value is ResponseValidation {
  const candidate = value as Partial<ResponseValidation> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    (candidate.mode === 'strict' || candidate.mode === 'warn') &&
    typeof candidate.schemas === 'object' &&
    candidate.schemas !== null
  );
}

export function resolveConfig(options: ClientOptions): ResolvedConfig {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createClient expects an options object');
  const { baseUrl } = options;
  if (typeof baseUrl !== 'string' || !URL.canParse(baseUrl)) {
    throw new TypeError('baseUrl must be an absolute URL such as http://127.0.0.1:8787');
  }
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('baseUrl must be http(s)');
  if (url.username !== '' || url.password !== '') {
    throw new TypeError('baseUrl must not carry credentials; pass an auth strategy');
  }
  const root = `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/rest$/, '')}/rest/`;
  const auth = options.auth as unknown;
  if (
    typeof auth !== 'object' ||
    auth === null ||
    typeof (auth as { authorize?: unknown }).authorize !== 'function' ||
    typeof (auth as { refresh?: unknown }).refresh !== 'function' ||
    typeof (auth as { forAccount?: unknown }).forAccount !== 'function'
  ) {
    throw new TypeError(
      'auth must be a strategy from @callwire/auth-core (createBasicAuth, createSessionAuth, …)',
    );
  }
  const validation = options.validate as unknown;
  if (validation !== undefined && !isResponseValidation(validation)) {
    throw new TypeError(
      "validate takes validateResponses('strict' | 'warn') from @callwire/rest-client/validation",
    );
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    throw new TypeError('fetch must be a function');
  const logger: ClientLogger = options.logger ?? console;
  return {
    restRoot: root,
    timeout: timeoutOption(options.timeout, 30_000, 'timeout'),
    totalTimeout: timeoutOption(options.totalTimeout, 120_000, 'totalTimeout'),
    retry: resolveRetry(options.retry),
    validator: validation === undefined ? noValidation : createValidator(validation, logger),
    fetch: options.fetch,
    hooks: options.hooks,
    userAgent: options.userAgent,
  };
}
