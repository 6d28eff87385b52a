/**
 * Errors the CLI raises itself. Errors from the SDK (the CallwireError family) are rendered by
 * output/render-error.ts; these two only carry what the CLI knows: bad usage (exit 2) and a failure
 * with a hint (exit 1).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly hint?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Raised for a multi-account principal that has not picked an account: the seed's caveat, made loud. */
export class NoAccountSelectedError extends CliError {
  constructor(readonly accounts: { uuid: string; name: string; access?: string; default?: boolean }[]) {
    super(
      `This login can act on ${accounts.length} accounts; pick one first.`,
      'Run `callwire use <account-id|name>`, or pass --account / set CALLWIRE_ACCOUNT_ID.',
      { accounts },
    );
  }
}
