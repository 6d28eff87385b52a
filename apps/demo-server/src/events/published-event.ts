/**
 * A committed event on its way to live subscribers. `json` is the event object serialized once;
 * every websocket frame embeds this same string, so fan-out never serializes per socket.
 */
export interface PublishedEvent {
  readonly accountId: string;
  readonly seq: number;
  readonly type: string;
  readonly json: string;
}
