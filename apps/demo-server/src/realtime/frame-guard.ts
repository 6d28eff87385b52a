import type { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';

const TOO_LONG = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';

/**
 * `ws` refuses a frame longer than its `maxPayload` from the frame header, before buffering it, and
 * closes with 1009 on its own. The contract answers every oversized message with an `error` frame
 * and close 4400, so this puts `onOversized` in front of `ws`'s own handling: the error frame and
 * the 4400 close go out first, then `ws` stops reading the socket as it always does (its own close
 * is then a no-op: a close is already under way).
 */
export function answerOversizedFrames(socket: WebSocket, onOversized: () => void): void {
  const receiver = (socket as unknown as { _receiver?: EventEmitter })._receiver;
  if (receiver === undefined) return;
  const original = receiver.listeners('error') as Array<(error: Error) => void>;
  receiver.removeAllListeners('error');
  receiver.on('error', (error: Error & { code?: string }) => {
    if (error.code === TOO_LONG && socket.readyState === socket.OPEN) onOversized();
    for (const listener of original) listener.call(receiver, error);
  });
}
