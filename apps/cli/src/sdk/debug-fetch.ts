import type { OutputStream } from '../io.js';
import type { Colors } from '../output/color.js';
import { redact, redactHeaders } from '../output/redact.js';

/**
 * --debug: wraps fetch to print each request and response on stderr, like `gh --debug`. Credential
 * headers are replaced, and bodies are passed through the value/shape redaction, so a login body's
 * password or a session's tokens never reach the terminal.
 */
export function debugFetch(
  base: typeof fetch,
  stderr: OutputStream,
  secrets: Set<string>,
  c: Colors,
): typeof fetch {
  let n = 0;
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const id = ++n;
    // ky hands over a Request whose body can be read once: log from a clone, send the original.
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const body =
      request.body === null
        ? ''
        : await request
            .clone()
            .text()
            .catch(() => '');
    const started = performance.now();
    const lines = [c.dim(`* [${id}] ${request.method} ${redact(request.url, secrets)}`)];
    for (const [name, value] of redactHeaders(request.headers)) lines.push(c.dim(`> ${name}: ${value}`));
    if (body) lines.push(c.dim(`> ${redact(truncate(body), secrets)}`));
    stderr.write(`${lines.join('\n')}\n`);
    let response: Response;
    try {
      response = await base(request);
    } catch (error) {
      stderr.write(
        `${c.dim(`* [${id}] failed after ${Math.round(performance.now() - started)} ms: ${redact(String(error), secrets)}`)}\n`,
      );
      throw error;
    }
    const out = [
      c.dim(
        `< [${id}] ${response.status} ${response.statusText} (${Math.round(performance.now() - started)} ms)`,
      ),
    ];
    for (const [name, value] of redactHeaders(response.headers)) out.push(c.dim(`< ${name}: ${value}`));
    const text = await response
      .clone()
      .text()
      .catch(() => '');
    if (text) out.push(c.dim(`< ${redact(truncate(text), secrets)}`));
    stderr.write(`${out.join('\n')}\n`);
    return response;
  };
  return wrapped as typeof fetch;
}

function truncate(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} bytes)` : text;
}
