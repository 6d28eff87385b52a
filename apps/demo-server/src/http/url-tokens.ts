/** Query parameters that would carry a token in a URL: refused everywhere, since URLs end up in logs. */
const URL_TOKEN_PARAMS = ['jwt', 'bearer', 'token', 'access_token'];

/** The first query parameter of `query` that would carry a token, if any. */
export function tokenParamInUrl(query: unknown): string | undefined {
  if (typeof query !== 'object' || query === null) return undefined;
  for (const name of URL_TOKEN_PARAMS) if (name in query) return name;
  return undefined;
}
