/**
 * The write path of live events over graphql-ws, for thousands of sockets per event.
 *
 * Serialised once: subscribers that share a (document, variables, viewer class) get the same result
 * object for an event (plugins/shared-event-execution.ts). Its JSON is computed by the first of them
 * and kept beside the object (a WeakMap: it goes when the event goes); every `next` frame is that JSON
 * with the subscription id spliced in, the bytes graphql-ws would have written. graphql-ws builds each
 * message with `JSON.stringify(message, jsonMessageReplacer)` and hands the string to `socket.send` in
 * the same synchronous step (graphql-ws 6.4.2, server `emit.next`): the replacer answers a tiny
 * placeholder for the payload and records the real frame; `send` swaps the placeholder for the frame.
 * A `send` whose text is not the recorded placeholder goes out as it is.
 *
 * Written in batches: the first frame a socket gets in a turn of the event loop corks it and one
 * `setImmediate` uncorks every corked socket, so the frames of a burst leave in one write per socket,
 * not one per frame. A send resolves at once while the socket's buffer is below `highWaterBytes`,
 * so the transport takes the subscriber's next event without waiting for the kernel; past it, only
 * when the frame is flushed, so a client that does not read falls behind in its bounded queue (and is
 * closed as a slow consumer there) instead of in memory here.
 *
 * Broadcast (websocket-broadcast.ts): a caught-up subscriber's live events skip graphql-ws's send and
 * go straight to the socket's TCP stream as WebSocket text frames (RFC 6455 §5.2, server side: unmasked,
 * no extension — the server negotiates none): per frame a small head per subscriber (frame header and
 * `{"id":…`) and the body every member of the group shares (`,"type":"next","payload":…}`), the same
 * bytes graphql-ws would have written. The frames of a turn are laid out once per head length
 * (`nextFrames`, the heads left blank) and each socket gets one copy per subscription on it, each with
 * its head filled in, all in one write: a connection with several subscriptions costs one system call
 * per turn, not one per subscription. The copies are cut from slabs, not one allocation each. ws
 * writes its own frames to that stream synchronously and whole (no compression, no fragments), so
 * frames never interleave.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

export interface SharedFrames {
  /** graphql-ws's `jsonMessageReplacer`. */
  replacer: (this: unknown, key: string, value: unknown) => unknown;
  /** Routes a socket's sends through the shared frames and the batched writes; once per socket. */
  install(socket: WebSocket): void;
  /** The JSON of a `next` payload, computed once per payload object (the replacer's too). */
  json(payload: object): string;
  /**
   * Writes each part's `frames` (from `nextFrames` for its `head.length`) with its `head` (from
   * `nextFrameHead`) filled in, the parts in order, to an open socket in one write; `onFlushed`, if
   * given, runs once those bytes have left this process. False when the socket is not open.
   */
  writeNext(socket: WebSocket, parts: readonly NextPart[], onFlushed?: () => void): boolean;
}

/** One subscription's frames of a turn: its head and the frames laid out for that head's length. */
export interface NextPart {
  head: Buffer;
  frames: NextFrames;
}

/** The start of a `next` frame's text for one subscription: `{"id":<id>`. */
export function nextFrameHead(id: string): Buffer {
  return Buffer.from(`{"id":${JSON.stringify(id)}`);
}

/** The rest of a `next` frame's text, the same for every subscription: `,"type":"next","payload":<json>}`. */
export function nextFrameBody(json: string): Buffer {
  return Buffer.from(`,"type":"next","payload":${json}}`);
}

/** Consecutive `next` frames for every subscription whose head has one length: headers and bodies in place, heads blank. */
export interface NextFrames {
  bytes: Buffer;
  /** Where each frame's head goes. */
  heads: number[];
}

/** Lays out one `next` frame per body (from `nextFrameBody`) for heads of `headLength` bytes. */
export function nextFrames(headLength: number, bodies: readonly Buffer[]): NextFrames {
  const headerBytes = (length: number) => (length < 126 ? 2 : length < 65_536 ? 4 : 10);
  let total = 0;
  for (const body of bodies) total += headerBytes(headLength + body.length) + headLength + body.length;
  const bytes = Buffer.allocUnsafe(total);
  const heads: number[] = [];
  let at = 0;
  for (const body of bodies) {
    const length = headLength + body.length;
    bytes[at] = 0x81; // FIN, text
    if (length < 126) bytes[at + 1] = length;
    else if (length < 65_536) {
      bytes[at + 1] = 126;
      bytes.writeUInt16BE(length, at + 2);
    } else {
      bytes[at + 1] = 127;
      bytes.writeUInt32BE(Math.floor(length / 2 ** 32), at + 2);
      bytes.writeUInt32BE(length >>> 0, at + 6);
    }
    at += headerBytes(length);
    heads.push(at);
    at += headLength;
    at += body.copy(bytes, at);
  }
  return { bytes, heads };
}

const OPEN = 1; // WebSocket.OPEN

/**
 * Where the copies written to sockets are cut from. Node's own pool is 8 KB and serves only writes
 * under 4 KB, so a turn's frames for thousands of sockets would allocate a buffer for nearly every
 * write; a slab serves many. A slab lives while any write cut from it is queued, so it stays small.
 */
const SLAB_BYTES = 128 * 1024;

function slabs(): (size: number) => Buffer {
  let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  let used = 0;
  return (size) => {
    if (size > SLAB_BYTES / 8) return Buffer.allocUnsafeSlow(size);
    if (used + size > SLAB_BYTES) {
      slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      used = 0;
    }
    const bytes = slab.subarray(used, used + size);
    used += (size + 7) & ~7; // 8-byte aligned, as Node's pool
    return bytes;
  };
}

export function sharedFrames({ highWaterBytes = 64 * 1024 }: { highWaterBytes?: number } = {}): SharedFrames {
  const payloads = new WeakMap<object, string>();
  let recorded: { placeholder: string; frame: string } | null = null;
  const corked: Socket[] = [];
  const allocate = slabs();

  const uncorkAll = () => {
    for (const raw of corked.splice(0)) raw.uncork();
  };
  const corkForTheTurn = (raw: Socket) => {
    if (raw.writableCorked) return;
    raw.cork();
    if (corked.push(raw) === 1) setImmediate(uncorkAll);
  };
  const json = (payload: object) => {
    let text = payloads.get(payload);
    if (text === undefined) {
      text = JSON.stringify(payload);
      payloads.set(payload, text);
    }
    return text;
  };

  return {
    replacer(key, value) {
      if (key === '') recorded = null; // a new message: whatever was recorded belonged to another
      const message = this as { id?: unknown; type?: unknown };
      if (key !== 'payload' || message.type !== 'next' || typeof message.id !== 'string' || typeof value !== 'object' || value === null) {
        return value;
      }
      const id = JSON.stringify(message.id);
      recorded = { placeholder: `{"id":${id},"type":"next","payload":0}`, frame: `{"id":${id},"type":"next","payload":${json(value)}}` };
      return 0;
    },
    json,
    writeNext(socket, parts, onFlushed) {
      const raw = (socket as unknown as { _socket?: Socket })._socket;
      if (socket.readyState !== OPEN || !raw?.writable) return false;
      let size = 0;
      for (let p = 0; p < parts.length; p++) size += parts[p]!.frames.bytes.length;
      const bytes = allocate(size);
      let start = 0;
      // TypedArray#set rather than Buffer#copy: the same copy without the argument checks, once per socket.
      for (let p = 0; p < parts.length; p++) {
        const { head, frames } = parts[p]!;
        bytes.set(frames.bytes, start);
        for (let h = 0; h < frames.heads.length; h++) bytes.set(head, start + frames.heads[h]!);
        start += frames.bytes.length;
      }
      raw.write(bytes, onFlushed);
      return true;
    },
    install(socket) {
      const send = socket.send.bind(socket) as (data: string, cb?: (err?: Error) => void) => void;
      const raw = (socket as unknown as { _socket?: Socket })._socket;
      socket.send = ((data: string, cb?: (err?: Error) => void) => {
        let text = data;
        if (recorded && data === recorded.placeholder) text = recorded.frame;
        recorded = null;
        if (raw) corkForTheTurn(raw);
        if (!cb || socket.bufferedAmount >= highWaterBytes) return send(text, cb);
        send(text);
        cb();
      }) as WebSocket['send'];
    },
  };
}
