/**
 * The realtime protocol on `/ws`, in the document's words (Markdown): OpenAPI has no way to
 * describe a websocket, so it is a section of the document's description, which every viewer shows.
 */
export const WEBSOCKET_PROTOCOL = `Live events over a websocket at \`/ws\` (same host and port). Frames are JSON text.

**Authenticate** with a session or API token in the first message, within 10 s (never Basic credentials, never a token in the URL):
\`{"type": "auth", "token": "<token>"}\` → \`{"type": "auth", "success": true, "payload": {"connection": {"uuid", "ip"}, "user", "account", "expires_on"}}\`,
or \`{"type": "auth", "success": false, "code", "message"}\` and close 4401 (4408 when nothing arrived in time).

**Subscribe**: \`{"type": "subscribe", "id": "c1", "types": ["call.*"], "account_id"?, "after_seq"?}\` →
\`{"type": "subscribed", "id": "c1", "subscription": "<uuid>", "account_id", "last_seq", "recovered"}\`.
With \`after_seq\` every retained event with a greater \`seq\` is replayed in order, then the stream goes live with no gap or duplicate.
\`recovered: false\` means events after \`after_seq\` are gone: backfill with \`GET /rest/event\` (which says so too) or start over.

**Events**: \`{"type": "event", "subscription": "<uuid>", "event": {…}}\` — the same event object as webhooks and \`GET /rest/event\`.
\`seq\` counts every event of the account; a subscription with \`types\` sees only matching ones, so its seqs have gaps. To tell
loss from filtering, compare with \`GET /rest/event?after_seq=<last seen>&types=<same patterns>\`: an empty page with
\`recovered: true\` means nothing was lost.

**Other messages**: \`{"type": "unsubscribe", "id", "subscription"}\`; \`{"type": "reauth", "token"}\` → \`{"type": "reauth", "success", "expires_on"}\`
(the server sends \`{"type": "token_expiring", "expires_on"}\` 60 s before expiry and closes 4401 at expiry);
\`{"type": "ping"}\` → \`{"type": "pong"}\` (the server also pings every 25 s and drops a connection silent for 60 s).

**Errors**: \`{"type": "error", "id"?, "code", "message"}\`. Close codes: 4400 bad message, 4401 unauthenticated or expired
(refresh, then reconnect), 4403 forbidden (do not retry), 4408 authentication timeout, 4429 too many (back off),
1001/1012 server going away (reconnect). Limits: 64 KiB a message, 100 subscriptions a connection, 20 connections a user.`;
