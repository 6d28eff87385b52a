/** The first byte of a text frame that is a whole message: FIN set, no RSV bits, opcode 1. */
const FINAL_TEXT = 0x81;

/** Largest scratch space kept between calls; a bigger batch gets its own for the call. */
const MAX_KEPT_SCRATCH = 1024 * 1024;

/** Where messages are encoded before they are copied into a buffer of their exact size. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/** Bytes of a server frame's header for a payload of `length` bytes (RFC 6455 §5.2, no mask). */
function headerBytes(length: number): number {
  return length < 126 ? 2 : length < 0x10000 ? 4 : 10;
}

function writeHeader(out: Buffer, at: number, length: number): void {
  out[at] = FINAL_TEXT;
  if (length < 126) {
    out[at + 1] = length;
  } else if (length < 0x10000) {
    out[at + 1] = 126;
    out.writeUInt16BE(length, at + 2);
  } else {
    out[at + 1] = 127;
    // The 64-bit length as two 32-bit halves (a payload is far below 2^53 bytes).
    out.writeUInt32BE(Math.floor(length / 0x1_0000_0000), at + 2);
    out.writeUInt32BE(length >>> 0, at + 6);
  }
}

/**
 * Text messages as a server puts them on the wire (RFC 6455: unmasked, one final frame each, not
 * compressed), all in one buffer: the bytes `ws` would write as a header and a payload per
 * message, for the caller to write in one go. Only for sockets without permessage-deflate.
 */
export function encodeTextFrames(messages: readonly string[]): Buffer {
  // Each message is encoded once, straight into place: no UTF-8 length is computed beforehand
  // (that would read each message twice), so space is set aside for the most bytes its characters
  // can take, and the exact bytes are copied out at the end (a socket may hold the buffer for a
  // while, and should not hold the unused space with it).
  let most = 0;
  for (const message of messages) most += 10 + message.length * 3;
  let out = scratch;
  if (out.length < most) {
    out = Buffer.allocUnsafe(most);
    if (most <= MAX_KEPT_SCRATCH) scratch = out;
  }
  let at = 0;
  for (const message of messages) {
    const reserved = headerBytes(message.length * 3);
    const length = out.write(message, at + reserved);
    const header = headerBytes(length);
    // Fewer bytes than the characters could have taken may need a shorter length field.
    if (header !== reserved) out.copyWithin(at + header, at + reserved, at + reserved + length);
    writeHeader(out, at, length);
    at += header + length;
  }
  const exact = Buffer.allocUnsafe(at);
  out.copy(exact, 0, 0, at);
  return exact;
}
