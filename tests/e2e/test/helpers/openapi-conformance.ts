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

export interface Answer {
  status: number;
  headers: Record<string, string>;
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

  static async start(baseUrl: string): Promise<ConformanceRun> {
    const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as {
      components: { securitySchemes: Record<string, SecurityScheme> };
      security: Array<Record<string, string[]>>;
    };
    // The document itself is checked against the OpenAPI 3.1 schema first (openapi-backend's own
    // check knows only 3.0, so it is skipped with `quick`).
    const check = await new Validator().validate(doc as Parameters<Validator['validate']>[0]);
    if (!check.valid) throw new Error(`/openapi.json is not valid OpenAPI: ${JSON.stringify(check.errors)}`);
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
    let parsedBody: unknown;
    if (exchange.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(exchange.json);
      parsedBody = exchange.json;
    } else if (exchange.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(exchange.form).toString();
      parsedBody = exchange.form;
    } else if (exchange.raw !== undefined) {
      body = exchange.raw;
      parsedBody = exchange.raw;
    }
    const [path, query = ''] = exchange.url.split('?') as [string, string?];
    const request = { method: exchange.method, path, query, headers, body: parsedBody };
    const op = this.api.matchOperation(request) as Operation | undefined;

    const res = await fetch(this.baseUrl + exchange.url, { method: exchange.method, headers, body });
    this.requests++;
    const text = await res.text();
    const answer: Answer = {
      status: res.status,
      headers: Object.fromEntries(res.headers.entries()),
      body: text === '' ? undefined : JSON.parse(text),
    };
    const where = `${exchange.method} ${exchange.url} → ${res.status}`;
    if (op === undefined) {
      this.violations.push(`${where}: no operation of the document matches`);
      return answer;
    }
    this.doors.add(this.door(headers));
    const seen = this.seen.get(op.operationId) ?? new Set<number>();
    seen.add(res.status);
    this.seen.set(op.operationId, seen);

    const requestCheck = this.api.validateRequest(request, op.operationId);
    const docValid = requestCheck.valid && this.secured(op, headers);
    const refusedAsMalformed =
      res.status === 415 || (res.status === 400 && answer.body?.code === 'validation_failed');
    if (docValid && refusedAsMalformed) {
      this.violations.push(`${where}: the document accepts this request, the server refused it: ${text}`);
    }
    if (!docValid && res.status < 300) {
      const why = JSON.stringify(requestCheck.errors ?? 'no credentials the operation accepts');
      this.violations.push(`${where}: the server accepted a request the document refuses: ${why}`);
    }

    if (!(String(res.status) in op.responses)) {
      this.violations.push(`${where}: status not declared for ${op.operationId}`);
      return answer;
    }
    if (answer.body !== undefined) {
      const check = this.api.validateResponse(answer.body, op.operationId, res.status);
      if (!check.valid) this.violations.push(`${where}: body ${JSON.stringify(check.errors)}`);
    }
    const headerCheck = this.api.validateResponseHeaders(answer.headers, op.operationId, {
      statusCode: res.status,
    });
    if (!headerCheck.valid) this.violations.push(`${where}: headers ${JSON.stringify(headerCheck.errors)}`);
    return answer;
  }
}
