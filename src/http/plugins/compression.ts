import { Readable, type Transform, pipeline } from 'node:stream';
import { promisify } from 'node:util';
import {
  type BrotliOptions,
  brotliCompress,
  brotliCompressSync,
  constants,
  createBrotliCompress,
  createGzip,
  gzip,
  gzipSync,
} from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

export type ContentEncoding = 'br' | 'gzip';

export interface CompressionOptions {
  /** Bodies smaller than this go out as they are (compressing them costs more than it saves). */
  minBytes: number;
  /** Brotli quality for responses compressed per request (0–11; 11 is for files compressed once). */
  brotliQuality: number;
}

const brotliOptions = (body: Buffer, quality: number): BrotliOptions => ({
  params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
});

const brotliCompressAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const compressors: Record<ContentEncoding, (body: Buffer, brotliQuality: number) => Promise<Buffer>> = {
  br: (body, quality) => brotliCompressAsync(body, brotliOptions(body, quality)),
  gzip: (body) => gzipAsync(body),
};

const syncCompressors: Record<ContentEncoding, (body: Buffer, brotliQuality: number) => Buffer> = {
  br: (body, quality) => brotliCompressSync(body, brotliOptions(body, quality)),
  gzip: (body) => gzipSync(body),
};

/**
 * Bodies up to this size are compressed on the event loop. For them zlib's thread-pool round trip (a stream, a
 * hand-off to another thread and a wake-up) costs about three times the compression itself: ~0.17 against ~0.06 ms of
 * CPU for a 1.5–12 KB answer (a panel, a trâmite), and two more context switches on a busy machine. At 75 KB both cost
 * the same and the thread pool does not hold the loop.
 */
const SYNC_MAX_BYTES = 32 * 1024;

/** The same encoders as streams, for a body whose length is not known up front. */
const streamCompressors: Record<ContentEncoding, (brotliQuality: number) => Transform> = {
  br: (quality) => createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: quality } }),
  gzip: () => createGzip(),
};

export async function compress(body: Buffer, encoding: ContentEncoding, brotliQuality: number): Promise<Buffer<ArrayBuffer>> {
  // zlib's results are backed by a plain ArrayBuffer, which is what a Response body takes.
  if (body.length <= SYNC_MAX_BYTES) return syncCompressors[encoding](body, brotliQuality) as Buffer<ArrayBuffer>;
  return (await compressors[encoding](body, brotliQuality)) as Buffer<ArrayBuffer>;
}

/**
 * The encoding to answer with for an `Accept-Encoding` header: brotli over gzip, honouring `q=0`
 * and `*`; null for identity.
 */
export function negotiateEncoding(acceptEncoding: string | null): ContentEncoding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    if (name) weights.set(name.trim(), q ? Number(q[1]) : 1);
  }
  const weight = (name: ContentEncoding) => weights.get(name) ?? weights.get('*') ?? 0;
  const best = (['br', 'gzip'] as const).filter((e) => weight(e) > 0).sort((a, b) => weight(b) - weight(a))[0];
  return best ?? null;
}

/** Streams (SSE, multipart) must reach the client event by event: they are never buffered to compress. */
const STREAMING = /^(text\/event-stream|multipart\/)/i;

/**
 * Compresses HTTP answers (GraphQL results, GraphiQL's page) with brotli or gzip when the client
 * accepts it. Responses that already carry a Content-Encoding (GraphiQL's precompressed assets)
 * and streaming responses pass untouched. An answer whose Content-Length says it is below `minBytes`
 * (a mutation's, most single-object reads) goes out as yoga built it: its body is never read here,
 * so it keeps its one-write path to the socket. A body of known length is already whole in memory
 * (yoga's serialised result) and is compressed in one call, keeping a Content-Length; a body of
 * unknown length is piped through the compressor as it comes, never collected.
 */
export function compression(options: CompressionOptions): Plugin {
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      const { headers } = response;
      if (headers.has('content-encoding') || STREAMING.test(headers.get('content-type') ?? '')) return;
      headers.append('vary', 'Accept-Encoding');
      const length = headers.get('content-length');
      if (length !== null && Number(length) < options.minBytes) return;
      const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
      if (!encoding) return;
      const init = { status: response.status, statusText: response.statusText, headers: new fetchAPI.Headers(headers) };
      init.headers.set('content-encoding', encoding);
      if (length === null) {
        const body = response.body;
        if (!body) return;
        const compressor = streamCompressors[encoding](options.brotliQuality);
        // pipeline destroys both sides on an error either way (a client gone, a failing source).
        pipeline(Readable.from(body as unknown as AsyncIterable<Uint8Array>), compressor, () => {});
        setResponse(new fetchAPI.Response(compressor as unknown as BodyInit, init));
        return;
      }
      const compressed = await compress(Buffer.from(await response.arrayBuffer()), encoding, options.brotliQuality);
      init.headers.set('content-length', String(compressed.length));
      setResponse(new fetchAPI.Response(compressed, init));
    },
  };
}
