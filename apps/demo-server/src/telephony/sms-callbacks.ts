import type { CallbackSender } from './callback-sender.js';
import type { TelephonyDb } from './deps.js';
import type { SimRuntime } from './sim/runtime.js';
import { MessagingProfileStore } from './stores/messaging-profile-store.js';
import type { SmsRow } from './stores/sms-store.js';

/** How long a messaging profile's callback_url is cached. */
const PROFILE_CACHE_MS = 5_000;

/** A status callback to post once the transaction that recorded its event has committed. */
export interface Callback {
  url: string;
  event: unknown;
}

/**
 * The per-message status callbacks: every event of a message is POSTed (signed, once, after commit)
 * to its `custom_callback_url`, else to its messaging profile's `callback_url`. Retried webhooks are
 * the events area's subscriptions; this is the simpler per-message hook.
 */
export class SmsCallbacks {
  readonly #runtime: SimRuntime;
  readonly #sender: CallbackSender;
  readonly #logError: (error: unknown, message: string) => void;
  readonly #callbackUrls = new Map<string, { url: string | null; until: number }>();

  constructor(
    runtime: SimRuntime,
    sender: CallbackSender,
    logError: (error: unknown, message: string) => void,
  ) {
    this.#runtime = runtime;
    this.#sender = sender;
    this.#logError = logError;
  }

  /** Notes where the event of `sms` goes, to be posted after commit with {@link post}. */
  async note(trx: TelephonyDb, notes: Callback[], sms: SmsRow, event: unknown): Promise<void> {
    let url = sms.custom_callback_url;
    if (url === null && sms.messaging_profile !== null)
      url = await this.#profileCallback(trx, sms.messaging_profile);
    if (url !== null) notes.push({ url, event });
  }

  /** A profile changed or went away: its callback URL is read again next time. */
  forget(profileId: string): void {
    this.#callbackUrls.delete(profileId);
  }

  /**
   * A profile's callback_url, cached for a few seconds: every event of every message of a profile
   * needs it. Changes through this instance take effect at once; through another instance sharing
   * PostgreSQL, within {@link PROFILE_CACHE_MS}.
   */
  async #profileCallback(trx: TelephonyDb, profileId: string): Promise<string | null> {
    const cached = this.#callbackUrls.get(profileId);
    if (cached !== undefined && cached.until > Date.now()) return cached.url;
    const url = await new MessagingProfileStore(trx).callbackUrl(profileId);
    if (this.#callbackUrls.size > 10_000) this.#callbackUrls.clear();
    this.#callbackUrls.set(profileId, { url, until: Date.now() + PROFILE_CACHE_MS });
    return url;
  }

  /** Posts each event to its URL once, in the background (nobody hears of a rolled-back message). */
  post(notes: readonly Callback[]): void {
    for (const { url, event } of notes) {
      this.#runtime.run(async () => {
        try {
          await this.#sender.send(url, event);
        } catch (error) {
          this.#logError(error, `the SMS callback to ${new URL(url).origin} failed`);
        }
      });
    }
  }
}
