import { Validator } from '@seriousme/openapi-schema-validator';
import addFormats from 'ajv-formats';
import { OpenAPIBackend } from 'openapi-backend';

/**
 * Every exchange of a test run checked against the server's own `/openapi.json` by an independent
 * validator (openapi-backend, on Ajv), in both directions:
 * - the answer: its status is declared for the operation, and its body and headers match;
 * - the question: a request the document calls valid is never refused as malformed
 *   (400 `validation_failed`, 415), and one it calls invalid is never accepted (2xx).
 * Violations are collected, not thrown, so one run lists them all.
 */

interface Operation {
  operationId: string;
  method: string;
  path: string;
  responses: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
}

/**
 * Rules between two values that JSON Schema cannot state, so the document says them in words: a
 * refusal for one of these is not a disagreement. Each is operationId, field, and the start of the
 * server's message.
 */
const RULES_IN_WORDS: ReadonlyArray<readonly [string, string, string]> = [
  ['getCallDataReport', 'query.end_date', 'the window is'],
];

type SecurityScheme = { type: string; scheme?: string; in?: string; name?: string };

export interface Exchange {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path with its query string. */
  url: string;
  headers?: Record<string, string>;
  /** A JSON body (sent as JSON), or form fields (sent as application/x-www-form-urlencoded). */
  json?: unknown;
  form?: Record<string, string>;
  /** Raw body text with its own content-type header. */
  raw?: string;
}

/** A request as it went over the wire (lower-case header names). */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface RecordedAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface Answer extends RecordedAnswer {
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected freely by the traffic script
  body: any;
}

export class ConformanceRun {
  readonly violations: string[] = [];
  /** operationId → statuses seen. */
  readonly seen = new Map<string, Set<number>>();
  readonly doors = new Set<string>();
  requests = 0;

  private constructor(
    readonly baseUrl: string,
    private readonly api: OpenAPIBackend,
    private readonly schemes: Record<string, SecurityScheme>,
    private readonly globalSecurity: Array<Record<string, string[]>>,
  ) {}

  /**
   * `checkDocument` first checks the document against the OpenAPI 3.1 schema (a second or so; the
   * dedicated conformance suite does it, the proxies of the other suites need not repeat it).
   */
  static async start(baseUrl: string, { checkDocument = true } = {}): Promise<ConformanceRun> {
    const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as {
      components: { securitySchemes: Record<string, SecurityScheme> };
      security: Array<Record<string, string[]>>;
    };
    // The document itself is checked against the OpenAPI 3.1 schema first (openapi-backend's own
    // check knows only 3.0, so it is skipped with `quick`).
    if (checkDocument) {
      const check = await new Validator().validate(doc as Parameters<Validator['validate']>[0]);
      if (!check.valid)
        throw new Error(`/openapi.json is not valid OpenAPI: ${JSON.stringify(check.errors)}`);
    }
    const api = new OpenAPIBackend({
      definition: doc as never,
      strict: true,
      validate: true,
      quick: true,
      // Formats (uuid, date-time, uri…) are checked, not ignored.
      customizeAjv: (ajv) => addFormats(ajv),
    });
    await api.init();
    return new ConformanceRun(baseUrl, api, doc.components.securitySchemes, doc.security);
  }

  /** Every operation of the document. */
  operations(): Operation[] {
    return this.api.getOperations() as unknown as Operation[];
  }

  /** Whether the request carries what one of the operation's security requirements asks for. */
  private secured(op: Operation, headers: Record<string, string>): boolean {
    const requirements = op.security ?? this.globalSecurity;
    if (requirements.length === 0) return true;
    const authorization = headers.authorization ?? '';
    return requirements.some((req) =>
      Object.keys(req).every((name) => {
        const scheme = this.schemes[name];
        if (scheme === undefined) return false;
        if (scheme.type === 'http') return authorization.toLowerCase().startsWith(`${scheme.scheme} `);
        return scheme.in === 'header' && (headers[(scheme.name ?? '').toLowerCase()] ?? '') !== '';
      }),
    );
  }

  private door(headers: Record<string, string>): string {
    const authorization = headers.authorization;
    if (authorization !== undefined) return authorization.split(' ')[0]?.toLowerCase() ?? '';
    return headers['x-auth-token'] !== undefined ? 'x-auth-token' : 'none';
  }

  async send(exchange: Exchange): Promise<Answer> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(exchange.headers ?? {})) headers[k.toLowerCase()] = v;
    let body: string | undefined;
    if (exchange.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(exchange.json);
    } else if (exchange.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(exchange.form).toString();
    } else if (exchange.raw !== undefined) {
      body = exchange.raw;
    }
    const res = await fetch(this.baseUrl + exchange.url, { method: exchange.method, headers, body });
    const text = await res.text();
    const answer: RecordedAnswer = {
      status: res.status,
      headers: Object.fromEntries(res.headers.entries()),
      text,
    };
    this.check({ method: exchange.method, url: exchange.url, headers, body }, answer);
    return { ...answer, body: text === '' ? undefined : JSON.parse(text) };
  }

  readonly #recorded: Array<[RecordedRequest, RecordedAnswer]> = [];

  /** Keeps an exchange to check later (see {@link checkRecorded}). */
  record(request: RecordedRequest, answer: RecordedAnswer): void {
    this.#recorded.push([request, answer]);
  }

  /** Checks every recorded exchange; returns the violations. */
  checkRecorded(): string[] {
    for (const [request, answer] of this.#recorded.splice(0)) this.check(request, answer);
    return this.violations;
  }

  /** Checks one exchange, however it was made (this run's own requests, or a proxy's traffic). */
  check(request: RecordedRequest, answer: RecordedAnswer): void {
    const { headers, method } = request;
    const [path, query = ''] = request.url.split('?') as [string, string?];
    const contentType = (headers['content-type'] ?? '').split(';')[0]?.trim();
    let body: unknown = request.body;
    if (request.body !== undefined && contentType === 'application/x-www-form-urlencoded') {
      body = Object.fromEntries(new URLSearchParams(request.body));
    } else if (request.body !== undefined && contentType === 'application/json') {
      try {
        body = JSON.parse(request.body);
      } catch {
        // Malformed JSON stays text: the validator calls it invalid, as the server must.
      }
    }
    const validated = { method, path, query, headers, body };
    const op = this.api.matchOperation(validated) as Operation | undefined;
    // Paths outside the document (CORS preflights, the docs pages, unknown routes) are not operations.
    if (op === undefined) return;
    this.requests++;
    const where = `${method} ${request.url} → ${answer.status}`;
    this.doors.add(this.door(headers));
    const seen = this.seen.get(op.operationId) ?? new Set<number>();
    seen.add(answer.status);
    this.seen.set(op.operationId, seen);

    let parsed: unknown;
    try {
      parsed = answer.text === '' ? undefined : JSON.parse(answer.text);
    } catch {
      this.violations.push(`${where}: the body is not JSON: ${answer.text.slice(0, 200)}`);
      return;
    }
    const code = (parsed as { code?: unknown } | undefined)?.code;
    const requestCheck = this.api.validateRequest(validated, op.operationId);
    const docValid = requestCheck.valid && this.secured(op, headers);
    const refusedAsMalformed =
      answer.status === 415 || (answer.status === 400 && code === 'validation_failed');
    const fields = (parsed as { fields?: Record<string, { message?: string }> } | undefined)?.fields ?? {};
    const inWords = RULES_IN_WORDS.some(
      ([id, field, message]) => id === op.operationId && fields[field]?.message?.startsWith(message) === true,
    );
    if (docValid && refusedAsMalformed && !inWords) {
      this.violations.push(
        `${where}: the document accepts this request, the server refused it: ${answer.text}`,
      );
    }
    if (!docValid && answer.status < 300) {
      const why = JSON.stringify(requestCheck.errors ?? 'no credentials the operation accepts');
      this.violations.push(`${where}: the server accepted a request the document refuses: ${why}`);
    }

    if (!(String(answer.status) in op.responses)) {
      this.violations.push(`${where}: status not declared for ${op.operationId}`);
      return;
    }
    if (parsed !== undefined) {
      const check = this.api.validateResponse(parsed, op.operationId, answer.status);
      if (!check.valid) this.violations.push(`${where}: body ${JSON.stringify(check.errors)}`);
    }
    const headerCheck = this.api.validateResponseHeaders(answer.headers, op.operationId, {
      statusCode: answer.status,
    });
    if (!headerCheck.valid) this.violations.push(`${where}: headers ${JSON.stringify(headerCheck.errors)}`);
  }
}
