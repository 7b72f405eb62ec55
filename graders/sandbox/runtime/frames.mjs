/**
 * The grading channel's framing, shared by the grader (host.ts) and the student process
 * (child.mjs): each message is a 4-byte little-endian length followed by that many bytes of
 * v8.serialize (structured clone: numbers keep −0, NaN and ±Infinity; typed arrays cross as
 * such). The length is read before anything is buffered or deserialised, so a message over the
 * limit is refused without the receiver holding it: Node's own IPC channel would deserialise a
 * message of any size first.
 */
import v8 from 'node:v8';

const HEADER = 4;

/** One framed message. */
export function encode(message) {
  const body = v8.serialize(message);
  const header = Buffer.allocUnsafe(HEADER);
  header.writeUInt32LE(body.length, 0);
  return Buffer.concat([header, body]);
}

export class FrameTooLarge extends Error {
  constructor(bytes, limit) {
    super(`a message of ${bytes} bytes (the limit is ${limit})`);
    this.name = 'FrameTooLarge';
  }
}

/**
 * Splits a byte stream into messages. `push(chunk)` returns the messages completed by the
 * chunk, deserialised; it throws FrameTooLarge as soon as a header announces more than
 * `maxBytes`, and whatever v8.deserialize throws on a malformed body.
 */
export class Decoder {
  constructor(maxBytes) {
    this.maxBytes = maxBytes;
    this.chunks = [];
    this.buffered = 0;
    /** the body length announced by the current message's header, once read */
    this.expected = undefined;
  }

  push(chunk) {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out = [];
    while (this.buffered >= HEADER) {
      if (this.expected === undefined) {
        if (this.chunks[0].length < HEADER) this.chunks = [Buffer.concat(this.chunks)];
        const bytes = this.chunks[0].readUInt32LE(0);
        if (bytes > this.maxBytes) throw new FrameTooLarge(bytes, this.maxBytes);
        this.expected = bytes;
      }
      if (this.buffered < HEADER + this.expected) break;
      // concatenated once per message, when it is complete
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      out.push(v8.deserialize(all.subarray(HEADER, HEADER + this.expected)));
      const rest = all.subarray(HEADER + this.expected);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.expected = undefined;
    }
    return out;
  }
}
