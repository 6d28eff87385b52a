import type { FastifyInstance, onSendHookHandler } from 'fastify';

type Operations = Record<string, Record<string, { responses?: Record<string, unknown> }>>;

/** `METHOD /path` (document spelling) → the statuses its operation declares. */
function declaredStatuses(app: FastifyInstance): Map<string, Set<string>> {
  const doc = app.swagger() as { paths?: Operations };
  const declared = new Map<string, Set<string>>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      declared.set(`${method.toUpperCase()} ${path}`, new Set(Object.keys(op.responses ?? {})));
    }
  }
  return declared;
}

/**
 * Makes the server refuse to send a status the OpenAPI document does not declare for the
 * operation: the answer becomes a 500 naming the route and the status, so any test that meets it
 * fails. For test runs (on by default under vitest, like strict event checking); it costs a map
 * lookup per request, so production leaves it off. Routes left out of the document, or that declare
 * no responses, are not checked.
 */
export function installDeclaredStatusCheck(app: FastifyInstance): void {
  let declared: Map<string, Set<string>> | undefined;
  const check: onSendHookHandler = async (request, reply, payload) => {
    const url = request.routeOptions.url;
    // A route that declares no responses at all has not been documented yet: nothing to hold it to.
    if (url === undefined || request.routeOptions.schema?.response === undefined) return payload;
    declared ??= declaredStatuses(app);
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const statuses = declared.get(`${method} ${url.replace(/:(\w+)/g, '{$1}')}`);
    const status = String(reply.statusCode);
    if (statuses === undefined || statuses.has(status) || statuses.has(`${status[0]}XX`)) return payload;
    const message = `${method} ${url} answered ${status}, which its OpenAPI operation does not declare`;
    request.log.error(message);
    reply.code(500).type('application/json; charset=utf-8');
    return JSON.stringify({ success: false, status: 500, code: 'internal', message, request_id: request.id });
  };
  app.addHook('onSend', check);
}
