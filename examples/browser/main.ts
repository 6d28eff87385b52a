// The browser page: signs in with a session (tokens stay in memory), shows the account over REST,
// follows its SMS events over the websocket and sends a test SMS. The demo server allows any browser
// origin by default (authentication is by header, never by cookie), so the page can be served from
// Vite's dev server on another port. `?api=http://host:port` points it at another server.
import { createSessionAuth } from '@callwire/auth-core';
import { createRealtimeClient, type RealtimeClient } from '@callwire/realtime-client';
import { type CallwireClient, createClient } from '@callwire/rest-client';

const baseUrl = new URLSearchParams(location.search).get('api') ?? 'http://127.0.0.1:8787';
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let rest: CallwireClient | undefined;
let realtime: RealtimeClient | undefined;

function show(line: string): void {
  const item = document.createElement('li');
  item.textContent = line; // textContent: server text never becomes markup
  $('events').prepend(item);
}

$('login').addEventListener('submit', async (submit) => {
  submit.preventDefault();
  await realtime?.close();
  const username = $<HTMLInputElement>('username').value;
  const password = $<HTMLInputElement>('password').value;
  try {
    const auth = createSessionAuth({ baseUrl, username, password });
    rest = createClient({ baseUrl, auth });
    const account = await rest.accounts.current();
    realtime = createRealtimeClient({ url: `${baseUrl.replace(/^http/, 'ws')}/ws`, auth });
    realtime.on('sms.*', (event) => show(`${event.type} to ${event.payload.to}: ${event.payload.message}`));
    await realtime.subscribe(['sms.*']).ready;
    $('status').textContent = `Signed in to ${account.name}; listening for SMS events.`;
    $<HTMLButtonElement>('send').disabled = false;
  } catch (error) {
    $('status').textContent = `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`;
  }
});

$('send').addEventListener('click', async () => {
  if (rest === undefined) return;
  try {
    const [number] = await rest.numbers.list({ sms: true }).toArray({ limit: 1 });
    if (number === undefined) throw new Error('the account has no SMS-enabled number');
    const sms = await rest.sms.send({
      from: number.tn,
      to: '+12015550123',
      message: 'Hello from the browser',
    });
    $('status').textContent = `Sent SMS ${sms.uuid}.`;
  } catch (error) {
    $('status').textContent = `Sending failed: ${error instanceof Error ? error.message : String(error)}`;
  }
});
