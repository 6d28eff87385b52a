/**
 * The last event frame a connection received, as the socket's message event and as parsed, held
 * until the next one or until the socket goes. Nothing reads it: holding it is the job. When a full
 * collection finds no such object alive, V8 forgets their hidden classes and with them the optimized
 * code of the whole receive path, which then has to warm up again on the next burst of events.
 */
export class LastFrame {
  event: object | undefined;
  frame: object | undefined;

  hold(event: object, frame: object): void {
    this.event = event;
    this.frame = frame;
  }

  release(): void {
    this.event = undefined;
    this.frame = undefined;
  }
}
