import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isCallwireError, WebhookSignatureError } from '../src/errors/index.js';
import { computeSignature, signWebhook, verifyWebhook } from '../src/webhook.js';

const secret = 'whsec_test_5f3b9c2a';
const body = '{"uuid":"0b7d1c4e-8a59-4c21-9e0b-1f2d3c4b5a69","type":"sms.sent","seq":7}';
const t = 1_764_300_000;

describe('webhook signatures', () => {
  it('match an independent HMAC-SHA256 of "t.body"', async () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(await computeSignature(secret, t, body)).toBe(expected);
    expect(await signWebhook({ secret, payload: body, timestamp: t })).toBe(`t=${t},v1=${expected}`);
  });

  it('sign bytes and strings identically', async () => {
    const bytes = new TextEncoder().encode(body);
    expect(await computeSignature(secret, t, bytes)).toBe(await computeSignature(secret, t, body));
  });

  it('verify an untouched body', async () => {
    const header = await signWebhook({ secret, payload: body, timestamp: t });
    await expect(verifyWebhook({ secret, payload: body, header, now: t + 10 })).resolves.toEqual({
      ok: true,
      timestamp: t,
    });
  });

  it('reject a tampered body', async () => {
    const header = await signWebhook({ secret, payload: body, timestamp: t });
    const tampered = body.replace('"seq":7', '"seq":8');
    const failure = await verifyWebhook({ secret, payload: tampered, header, now: t }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(WebhookSignatureError);
    expect(isCallwireError(failure)).toBe(true);
    expect((failure as WebhookSignatureError).code).toBe('invalid_signature');
    expect((failure as WebhookSignatureError).reason).toBe('signature_mismatch');
  });

  it('reject re-serialised JSON, which is not the raw body', async () => {
    const raw = '{ "a": 1 }';
    const header = await signWebhook({ secret, payload: raw, timestamp: t });
    await expect(
      verifyWebhook({ secret, payload: JSON.stringify(JSON.parse(raw)), header, now: t }),
    ).rejects.toMatchObject({ reason: 'signature_mismatch' });
  });

  it('refuse a parsed object as payload with a message about the raw body', async () => {
    const header = await signWebhook({ secret, payload: body, timestamp: t });
    await expect(
      verifyWebhook({ secret, payload: JSON.parse(body) as unknown as string, header, now: t }),
    ).rejects.toThrow(/raw request body/);
  });

  it('reject a stale timestamp and one from the future', async () => {
    const header = await signWebhook({ secret, payload: body, timestamp: t });
    await expect(verifyWebhook({ secret, payload: body, header, now: t + 301 })).rejects.toMatchObject({
      reason: 'timestamp_out_of_tolerance',
    });
    await expect(verifyWebhook({ secret, payload: body, header, now: t - 301 })).rejects.toMatchObject({
      reason: 'timestamp_out_of_tolerance',
    });
    await expect(verifyWebhook({ secret, payload: body, header, now: t + 300 })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('accept a header with several v1 signatures while a secret rotates', async () => {
    const oldSig = await computeSignature('whsec_old', t, body);
    const newSig = await computeSignature('whsec_new', t, body);
    const header = `t=${t},v1=${oldSig},v1=${newSig}`;
    await expect(
      verifyWebhook({ secret: 'whsec_new', payload: body, header, now: t }),
    ).resolves.toMatchObject({
      ok: true,
    });
    await expect(
      verifyWebhook({ secret: 'whsec_old', payload: body, header, now: t }),
    ).resolves.toMatchObject({
      ok: true,
    });
  });

  it('accept any of several receiver secrets', async () => {
    const header = await signWebhook({ secret: 'whsec_new', payload: body, timestamp: t });
    await expect(
      verifyWebhook({ secrets: ['whsec_old', 'whsec_new'], payload: body, header, now: t }),
    ).resolves.toMatchObject({ ok: true });
  });

  it('ignore unknown schemes but require a v1', async () => {
    const sig = await computeSignature(secret, t, body);
    await expect(
      verifyWebhook({ secret, payload: body, header: `t=${t},v0=abc,v1=${sig}`, now: t }),
    ).resolves.toMatchObject({ ok: true });
    await expect(
      verifyWebhook({ secret, payload: body, header: `t=${t},v0=abc`, now: t }),
    ).rejects.toMatchObject({
      reason: 'no_signatures',
    });
  });

  it('reject missing and malformed headers', async () => {
    await expect(verifyWebhook({ secret, payload: body, header: null })).rejects.toMatchObject({
      reason: 'missing_header',
    });
    await expect(verifyWebhook({ secret, payload: body, header: 'v1=abc' })).rejects.toMatchObject({
      reason: 'malformed_header',
    });
    await expect(verifyWebhook({ secret, payload: body, header: 't=12x,v1=abc' })).rejects.toMatchObject({
      reason: 'malformed_header',
    });
  });

  it('never put the secret into an error', async () => {
    const header = await signWebhook({ secret, payload: body, timestamp: t });
    const failure = (await verifyWebhook({ secret, payload: `${body} `, header, now: t }).catch(
      (e: unknown) => e,
    )) as WebhookSignatureError;
    const serialised = `${failure.message} ${JSON.stringify(failure)} ${failure.stack}`;
    expect(serialised).not.toContain(secret);
  });
});
