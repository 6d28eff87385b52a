import websocket from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import { ApiError } from '../../http/api-error.js';
import { tokenParamInUrl } from '../../http/url-tokens.js';
import type { ConnectionHub } from '../../realtime/connection-hub.js';
import { answerOversizedFrames } from '../../realtime/frame-guard.js';

/**
 * `/ws`. The upgrade passes the normal request hooks; a token in the URL is refused
 * with 400 before the upgrade, and a plain GET (no Upgrade) gets 426. Graceful shutdown replaces the
 * plugin's default (close every socket at once, no code) with the hub's: flush, then 1001.
 */
export function websocketRoutes(hub: ConnectionHub): FastifyPluginAsync {
  return async (app) => {
    await app.register(websocket, {
      options: {
        // Frames above the contract's limit still arrive up to this size so that the socket can be
        // closed with the contract's 4400; beyond it ws refuses them from the frame header, without
        // buffering, and answerOversizedFrames turns its 1009 into the contract's error and 4400.
        maxPayload: Math.max(1024 * 1024, hub.limits.maxMessageBytes * 2),
        perMessageDeflate: false,
      },
      // Socket errors are the client's doing (resets, oversized or broken frames): a throttled
      // warning without stack, never an error-level line anyone could flood the log with.
      errorHandler(error, socket) {
        const code = (error as { code?: unknown }).code;
        hub.ports.logRefusal({ code, reason: error.message }, 'websocket error');
        // A close handshake under way (error frame sent, 4400) finishes on its own; anything else ends now.
        if (socket.readyState !== socket.CLOSING) socket.terminate();
      },
      async preClose() {
        await hub.shutdown();
        await new Promise<void>((resolve) => app.websocketServer.close(() => resolve()));
      },
    });

    app.route({
      method: 'GET',
      url: '/ws',
      config: { auth: 'none' },
      schema: { hide: true },
      preHandler: async (request) => {
        const name = tokenParamInUrl(request.query);
        if (name !== undefined) {
          throw new ApiError(
            'invalid_request',
            `Tokens in URLs are refused (query parameter "${name}"): connect, then send {"type":"auth","token":"…"} as the first message`,
          );
        }
      },
      handler: async () => {
        throw new ApiError(
          'invalid_request',
          'This is the websocket endpoint: connect with a WebSocket client (Upgrade: websocket)',
          { status: 426, headers: { upgrade: 'websocket' } },
        );
      },
      wsHandler: (socket, request) => {
        const connection = hub.accept(socket, request.raw.socket, request.ip);
        if (connection !== undefined) answerOversizedFrames(socket, () => connection.refuseOversized());
      },
    });
  };
}
