/** A successful call with the HTTP response it came from (headers such as `X-Account-Id`, status). */
export interface WithResponse<T> {
  data: T;
  /** The response; its body has been read already. */
  response: Response;
  /** `X-Request-Id`: quote it when asking for support. */
  requestId: string | undefined;
  /** `X-Account-Id`: the account the request ran under. */
  accountId: string | undefined;
}

/** What a request resolves to before anyone asks for the ids. */
export interface RawResult<T> {
  data: T;
  response: Response;
}

/**
 * What every method returns: awaits to the unwrapped, validated payload, and offers the raw
 * response on request (after the OpenAI/Anthropic SDKs' `APIPromise`):
 * `const { data, accountId } = await client.sms.send(…).withResponse()`.
 * The request starts at once, whether or not anyone awaits.
 */
export class ApiPromise<T> extends Promise<T> {
  readonly #result: Promise<RawResult<T>>;
  #data: Promise<T> | undefined;

  /** @internal Made by the client's methods; not constructed by apps. */
  constructor(result: Promise<RawResult<T>>) {
    // The base promise is a placeholder: then/catch/finally below read from `result`.
    super((resolve) => {
      resolve(undefined as T);
    });
    this.#result = result;
  }

  // Promise methods such as `then` on a subclass would otherwise construct ApiPromise instances.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /** The data together with the response and its ids. */
  withResponse(): Promise<WithResponse<T>> {
    // Header lookups happen here, not on every call.
    return this.#result.then(({ data, response }) => ({
      data,
      response,
      requestId: response.headers.get('x-request-id') ?? undefined,
      accountId: response.headers.get('x-account-id') ?? undefined,
    }));
  }

  /** The raw response (status, headers); the body has been read already. */
  asResponse(): Promise<Response> {
    return this.#result.then((result) => result.response);
  }

  #value(): Promise<T> {
    this.#data ??= this.#result.then((result) => result.data);
    return this.#data;
  }

  // biome-ignore lint/suspicious/noThenProperty: an ApiPromise is a promise; then() reads the parsed result.
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#value().then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#value().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#value().finally(onfinally);
  }
}
