/**
 * The live-event write path (src/http/websocket-writes.ts): a shared result is serialised once for all
 * sockets, each frame is exactly what graphql-ws would have written, frames of one turn leave together,
 * and a socket whose buffer is full waits for the flush. The feeds' end-to-end tests (feeds*.test.ts,
 * clients.test.ts) run every subscription through it over real sockets.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { nextFrameBody, nextFrameHead, nextFrames, sharedFrames } from '../src/http/websocket-writes.js';

/** What graphql-ws 6.4.2 does for a `next`: validate, `JSON.stringify(message, replacer)`, then `socket.send`. */
function emitNext(frames: ReturnType<typeof sharedFrames>, socket: FakeSocket, id: string, payload: unknown): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.send(JSON.stringify({ id, type: 'next', payload }, frames.replacer), (err?: Error) => (err ? reject(err) : resolve())),
  );
}

class FakeSocket {
  readyState = 1;
  written: string[] = [];
  /** What went straight to the TCP stream (the broadcast's frames). */
  raw: Buffer[] = [];
  rawFlushes: Array<() => void> = [];
  flushes: Array<() => void> = [];
  bufferedAmount = 0;
  corks = 0;
  uncorks = 0;
  _socket = {
    writable: true,
    write: (chunk: Buffer, cb?: () => void) => {
      this.raw.push(chunk);
      if (cb) this.rawFlushes.push(cb);
      return true;
    },
    writableCorked: 0,
    cork: () => {
      this._socket.writableCorked++;
      this.corks++;
    },
    uncork: () => {
      this._socket.writableCorked--;
      this.uncorks++;
    },
  };
  send(data: string, cb?: (err?: Error) => void): void {
    this.written.push(data);
    if (cb) this.flushes.push(() => cb());
  }
}

const install = (frames: ReturnType<typeof sharedFrames>, socket: FakeSocket) => frames.install(socket as unknown as WebSocket);

describe('shared frames for live events', () => {
  it('serialises a result shared by many subscribers once, and writes each the bytes graphql-ws would', async () => {
    const frames = sharedFrames();
    let reads = 0;
    const result = {
      get data() {
        reads++;
        return { eventosTramites: { cursor: '42', situacao: 'RECEBIDO', texto: 'aspas " e \\ barra, acentuação' } };
      },
    };
    const sockets = Array.from({ length: 50 }, () => new FakeSocket());
    for (const s of sockets) install(frames, s);
    await Promise.all(sockets.map((s, i) => emitNext(frames, s, `sub-${i}`, result)));
    expect(reads).toBe(1);
    sockets.forEach((s, i) => {
      expect(s.written).toEqual([JSON.stringify({ id: `sub-${i}`, type: 'next', payload: { data: result.data } })]);
    });
  });

  it('leaves other messages, and results not shared, as graphql-ws wrote them', async () => {
    const frames = sharedFrames();
    const s = new FakeSocket();
    install(frames, s);
    await emitNext(frames, s, '1', { data: { a: 1 } });
    await emitNext(frames, s, '2', { data: { a: 2 } });
    s.send(JSON.stringify({ id: '1', type: 'complete' }, frames.replacer));
    s.send(JSON.stringify({ id: '3', type: 'error', payload: [{ message: 'x' }] }, frames.replacer));
    // A placeholder-looking text that no replacer call recorded goes out unchanged.
    s.send('{"id":"9","type":"next","payload":0}');
    expect(s.written).toEqual([
      '{"id":"1","type":"next","payload":{"data":{"a":1}}}',
      '{"id":"2","type":"next","payload":{"data":{"a":2}}}',
      '{"id":"1","type":"complete"}',
      '{"id":"3","type":"error","payload":[{"message":"x"}]}',
      '{"id":"9","type":"next","payload":0}',
    ]);
  });

  it('corks each socket for the turn and uncorks them all once', async () => {
    const frames = sharedFrames();
    const s = new FakeSocket();
    install(frames, s);
    await emitNext(frames, s, '1', { data: 1 });
    await emitNext(frames, s, '1', { data: 2 });
    expect([s.corks, s.uncorks]).toEqual([1, 0]);
    await new Promise((resolve) => setImmediate(resolve));
    expect([s.corks, s.uncorks]).toEqual([1, 1]);
  });

  it('resolves a send at once below the high-water mark, and only after the flush above it', async () => {
    const frames = sharedFrames({ highWaterBytes: 100 });
    const s = new FakeSocket();
    install(frames, s);
    await emitNext(frames, s, '1', { data: 1 }); // resolves without any flush
    expect(s.flushes).toHaveLength(0);
    s.bufferedAmount = 100;
    let resolved = false;
    const pending = emitNext(frames, s, '1', { data: 2 }).then(() => {
      resolved = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolved).toBe(false);
    s.flushes.shift()!();
    await pending;
    expect(resolved).toBe(true);
  });

  /** The text of every frame in `bytes`, checking each is one unmasked FIN text frame. */
  function textFrames(bytes: Buffer): string[] {
    const texts: string[] = [];
    for (let at = 0; at < bytes.length; ) {
      expect(bytes[at]).toBe(0x81); // FIN + text, no RSV bits
      const mark = bytes[at + 1]!;
      expect(mark & 0x80).toBe(0); // a server never masks
      const [length, start] =
        mark < 126
          ? [mark, at + 2]
          : mark === 126
            ? [bytes.readUInt16BE(at + 2), at + 4]
            : [Number(bytes.readBigUInt64BE(at + 2)), at + 10];
      expect(start + length).toBeLessThanOrEqual(bytes.length);
      texts.push(bytes.subarray(start, start + length).toString());
      at = start + length;
    }
    return texts;
  }

  it('writes a broadcast frame as one unmasked text frame holding exactly the message graphql-ws would send', () => {
    const frames = sharedFrames();
    for (const size of [10, 200, 70_000]) {
      const s = new FakeSocket();
      const payload = { data: { e: { cursor: '7', texto: 'ç"\\'.repeat(size) } } };
      const flushed: number[] = [];
      const head = nextFrameHead('sub-1');
      expect(
        frames.writeNext(
          s as unknown as WebSocket,
          [{ head, frames: nextFrames(head.length, [nextFrameBody(frames.json(payload))]) }],
          () => flushed.push(size),
        ),
      ).toBe(true);
      expect(s.raw).toHaveLength(1);
      expect(textFrames(s.raw[0]!)).toEqual([JSON.stringify({ id: 'sub-1', type: 'next', payload })]);
      expect(flushed).toEqual([]);
      for (const f of s.rawFlushes) f();
      expect(flushed).toEqual([size]);
    }
  });

  it("writes a turn's frames to each socket in one write, each with that socket's subscription id", () => {
    const frames = sharedFrames();
    const payloads = [{ data: { n: 1 } }, { data: { n: 'x'.repeat(300) } }, { data: { n: 3 } }];
    const layout = nextFrames(
      nextFrameHead('a').length,
      payloads.map((p) => nextFrameBody(frames.json(p))),
    );
    for (const id of ['a', 'b']) {
      const s = new FakeSocket();
      expect(frames.writeNext(s as unknown as WebSocket, [{ head: nextFrameHead(id), frames: layout }], () => {})).toBe(true);
      expect(s.raw).toHaveLength(1);
      expect(textFrames(s.raw[0]!)).toEqual(payloads.map((payload) => JSON.stringify({ id, type: 'next', payload })));
    }
  });

  it('writes the frames of every subscription on a socket in one write, each subscription its frames in order', () => {
    const frames = sharedFrames();
    const payloads = [{ data: { n: 1 } }, { data: { n: 'y'.repeat(200) } }];
    const bodies = payloads.map((p) => nextFrameBody(frames.json(p)));
    const s = new FakeSocket();
    const flushed: string[] = [];
    // Two subscriptions with ids of different lengths; the second gets only the later event.
    const parts = [
      { head: nextFrameHead('1'), frames: nextFrames(nextFrameHead('1').length, bodies) },
      { head: nextFrameHead('sub-22'), frames: nextFrames(nextFrameHead('sub-22').length, bodies.slice(1)) },
    ];
    expect(frames.writeNext(s as unknown as WebSocket, parts, () => flushed.push('both'))).toBe(true);
    expect(s.raw).toHaveLength(1);
    expect(textFrames(s.raw[0]!)).toEqual([
      JSON.stringify({ id: '1', type: 'next', payload: payloads[0] }),
      JSON.stringify({ id: '1', type: 'next', payload: payloads[1] }),
      JSON.stringify({ id: 'sub-22', type: 'next', payload: payloads[1] }),
    ]);
    for (const f of s.rawFlushes) f();
    expect(flushed).toEqual(['both']);
  });

  it('never reuses the bytes of a write still queued: many small writes and one large, each intact', () => {
    const frames = sharedFrames();
    const s = new FakeSocket();
    const expected: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      const payload = { data: { i, texto: 'z'.repeat(i % 300) } };
      const id = String(i);
      frames.writeNext(
        s as unknown as WebSocket,
        [{ head: nextFrameHead(id), frames: nextFrames(nextFrameHead(id).length, [nextFrameBody(frames.json(payload))]) }],
        () => {},
      );
      expected.push(JSON.stringify({ id, type: 'next', payload }));
    }
    const grande = { data: { texto: 'g'.repeat(200_000) } };
    frames.writeNext(
      s as unknown as WebSocket,
      [{ head: nextFrameHead('g'), frames: nextFrames(nextFrameHead('g').length, [nextFrameBody(frames.json(grande))]) }],
      () => {},
    );
    expected.push(JSON.stringify({ id: 'g', type: 'next', payload: grande }));
    expect(s.raw.flatMap((chunk) => textFrames(chunk))).toEqual(expected);
  });

  it('writes nothing to a socket that is no longer open', () => {
    const frames = sharedFrames();
    const s = new FakeSocket();
    s.readyState = 2; // CLOSING: the close frame may already be out
    expect(
      frames.writeNext(
        s as unknown as WebSocket,
        [{ head: nextFrameHead('1'), frames: nextFrames(nextFrameHead('1').length, [nextFrameBody('{}')]) }],
        () => {},
      ),
    ).toBe(false);
    expect(s.raw).toEqual([]);
  });
});
