import type { ServerContext } from '../context.js';
import { DEMO_INTEGRATOR, DEMO_USERS } from '../seed/demo-identity.js';

/**
 * What `/` shows when the server has no console build: one static page, no external assets. It
 * says how to build the console, lists the demo users, links to the docs, signs in with a demo
 * user and shows the account and the live event stream of /ws.
 */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function consolePage(ctx: ServerContext): string {
  const rows = ctx.config.seed
    ? Object.values(DEMO_USERS)
        .map(
          (u) =>
            `<tr><td><button data-user="${escapeHtml(u.email)}" data-pass="${escapeHtml(u.password)}">${escapeHtml(u.email)}</button></td><td><code>${escapeHtml(u.password)}</code></td><td>${escapeHtml(
              Object.entries(u.memberships)
                .map(([a, access]) => `${a === 'acme' ? 'Acme Dental' : 'Bayside Realty'} (${access})`)
                .join(', '),
            )}</td><td>${u.api_access ? 'yes' : 'no'}</td></tr>`,
        )
        .join('')
    : '<tr><td colspan="4">Started with --no-seed: no demo users.</td></tr>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Callwire demo server</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left}
pre{background:#f5f5f5;padding:.8rem;overflow:auto;max-height:24rem}button{cursor:pointer}
code{background:#f3f3f3;padding:0 .2rem}
</style></head><body>
<h1>Callwire demo server</h1>
<p><strong>The console app is not built.</strong> Run <code>pnpm build</code> in the repository (or <code>pnpm start</code>) for the full console; this page is a minimal stand-in.</p>
<p><a href="/docs">API docs</a> · <a href="/openapi.json">OpenAPI 3.1</a> · <a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a></p>
<h2>Demo users</h2>
<p>Click a user to sign in (POST /rest/auth/login) and watch their account's events.</p>
<table><tr><th>user</th><th>password</th><th>accounts (access)</th><th>API access</th></tr>${rows}</table>
<p>Integrator: app key <code>${escapeHtml(DEMO_INTEGRATOR.appKey)}</code>, secret <code>${escapeHtml(DEMO_INTEGRATOR.secret)}</code>.</p>
<h2>Session</h2><pre id="session">Not signed in.</pre>
<h2>Live events</h2><pre id="events">(sign in first)</pre>
<script>
const $ = (id) => document.getElementById(id);
let socket;
async function signIn(username, password) {
  const res = await fetch('/rest/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const body = await res.json();
  if (!body.success) { $('session').textContent = JSON.stringify(body, null, 2); return; }
  const s = body.payload;
  $('session').textContent = JSON.stringify({ user: s.user, account: s.account, token_expiration: s.token_expiration }, null, 2);
  if (socket) socket.close();
  $('events').textContent = '';
  socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
  socket.onopen = () => { socket.send(JSON.stringify({ type: 'auth', token: s.token })); };
  socket.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.type === 'auth' && msg.success) socket.send(JSON.stringify({ type: 'subscribe', id: 'console', types: ['*'] }));
    $('events').textContent = JSON.stringify(msg) + '\\n' + $('events').textContent;
  };
  socket.onclose = (e) => { $('events').textContent = 'socket closed (' + e.code + ')\\n' + $('events').textContent; };
}
for (const b of document.querySelectorAll('button[data-user]')) b.onclick = () => signIn(b.dataset.user, b.dataset.pass);
</script>
</body></html>`;
}
