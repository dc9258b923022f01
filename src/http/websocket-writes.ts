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
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

export interface SharedFrames {
  /** graphql-ws's `jsonMessageReplacer`. */
  replacer: (this: unknown, key: string, value: unknown) => unknown;
  /** Routes a socket's sends through the shared frames and the batched writes; once per socket. */
  install(socket: WebSocket): void;
}

export function sharedFrames({ highWaterBytes = 64 * 1024 }: { highWaterBytes?: number } = {}): SharedFrames {
  const payloads = new WeakMap<object, string>();
  let recorded: { placeholder: string; frame: string } | null = null;
  const corked: Socket[] = [];

  const uncorkAll = () => {
    for (const raw of corked.splice(0)) raw.uncork();
  };

  return {
    replacer(key, value) {
      if (key === '') recorded = null; // a new message: whatever was recorded belonged to another
      const message = this as { id?: unknown; type?: unknown };
      if (key !== 'payload' || message.type !== 'next' || typeof message.id !== 'string' || typeof value !== 'object' || value === null) {
        return value;
      }
      let json = payloads.get(value);
      if (json === undefined) {
        json = JSON.stringify(value);
        payloads.set(value, json);
      }
      const id = JSON.stringify(message.id);
      recorded = { placeholder: `{"id":${id},"type":"next","payload":0}`, frame: `{"id":${id},"type":"next","payload":${json}}` };
      return 0;
    },
    install(socket) {
      const send = socket.send.bind(socket) as (data: string, cb?: (err?: Error) => void) => void;
      const raw = (socket as unknown as { _socket?: Socket })._socket;
      socket.send = ((data: string, cb?: (err?: Error) => void) => {
        let text = data;
        if (recorded && data === recorded.placeholder) text = recorded.frame;
        recorded = null;
        if (raw && !raw.writableCorked) {
          raw.cork();
          if (corked.push(raw) === 1) setImmediate(uncorkAll);
        }
        if (!cb || socket.bufferedAmount >= highWaterBytes) return send(text, cb);
        send(text);
        cb();
      }) as WebSocket['send'];
    },
  };
}
