// Response compression and GraphiQL's files over raw HTTP (node:http, so the bytes on the wire are
// seen as they are; fetch would decode them): a compressed answer is smaller and decodes to the same
// JSON; streams are not buffered; the files are content-hashed, immutable, precompressed, revalidated by ETag. Also the
// request body's bound when it comes chunked (no Content-Length to check up front).
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../src/config.js';
import { compression, negotiateEncoding } from '../src/http/plugins/compression.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { PEN_ADMIN } from './support/accounts.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; firstChunkOnly?: boolean; chunked?: boolean } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (options.firstChunkOnly) {
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) });
          res.destroy();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    // Two writes before the headers are sent: Node frames the body with Transfer-Encoding: chunked.
    if (options.chunked && options.body) {
      const half = Math.floor(options.body.length / 2);
      req.write(options.body.slice(0, half));
      req.end(options.body.slice(half));
    } else req.end(options.body);
  });
}

const decode = (response: RawResponse): Buffer =>
  response.headers['content-encoding'] === 'br'
    ? brotliDecompressSync(response.body)
    : response.headers['content-encoding'] === 'gzip'
      ? gunzipSync(response.body)
      : response.body;

describe('negotiateEncoding', () => {
  test('prefers brotli, honours q-values and q=0, ignores spaces and unknown codings', () => {
    expect(negotiateEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(negotiateEncoding('gzip')).toBe('gzip');
    expect(negotiateEncoding('br;q=0.5, gzip;q=0.9')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip')).toBe('gzip');
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('*;q=0')).toBeNull();
    expect(negotiateEncoding('identity')).toBeNull();
    expect(negotiateEncoding('deflate')).toBeNull();
    expect(negotiateEncoding(null)).toBeNull();
  });
});

describe('the compression plugin on its own', () => {
  // The Response and Headers yoga hands to plugins (@whatwg-node's), as the gateway has them.
  const { fetchAPI } = createYoga({ schema: createSchema({ typeDefs: 'type Query { a: Int }' }) });
  const plugin = compression({ minBytes: 1024, brotliQuality: 4 });
  const run = async (response: Response, acceptEncoding: string) => {
    let replaced: Response | null = null;
    const request = new fetchAPI.Request('http://127.0.0.1/graphql', { headers: { 'accept-encoding': acceptEncoding } });
    await plugin.onResponse!({ request, response, setResponse: (r: Response) => (replaced = r), fetchAPI } as never);
    return replaced as Response | null;
  };

  test('an answer whose Content-Length is below minBytes goes out as it is: not replaced, its body never read', async () => {
    const body = JSON.stringify({ data: { r: { __typename: 'TransicaoRealizada', evento: { cursor: '42' } } } });
    const response = new fetchAPI.Response(body, { headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(await run(response, 'gzip, deflate, br')).toBeNull();
    expect(response.bodyUsed).toBe(false);
    expect(response.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(await response.text()).toBe(body);
  });

  test('a body of unknown length is compressed as it streams: the first compressed bytes leave before the source ends', async () => {
    const first = randomBytes(256 * 1024); // incompressible: gzip has output long before its end
    const rest = Buffer.from('x'.repeat(64 * 1024));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    async function* source() {
      yield first;
      await released;
      yield rest;
    }
    const response = new fetchAPI.Response(source() as never, { headers: { 'content-type': 'application/json' } });
    expect(response.headers.get('content-length')).toBeNull();
    const compressed = await run(response, 'gzip');
    expect(compressed).not.toBeNull();
    expect(compressed!.headers.get('content-encoding')).toBe('gzip');
    expect(compressed!.headers.get('content-length')).toBeNull();
    const chunks: Buffer[] = [];
    const reader = (compressed!.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    const before = await reader.next();
    expect(before.done).toBe(false);
    chunks.push(Buffer.from(before.value!));
    release();
    for (let next = await reader.next(); !next.done; next = await reader.next()) chunks.push(Buffer.from(next.value));
    expect(gunzipSync(Buffer.concat(chunks)).equals(Buffer.concat([first, rest]))).toBe(true);
  });
});

describe(`${BACKENDS[0]}`, () => {
  let gw: TestGateway;
  let token: string;

  beforeAll(async () => {
    gw = await startTestGateway(BACKENDS[0]!);
    token = await gw.tokenOf(PEN_ADMIN);
  });

  afterAll(async () => {
    await gw?.close();
  });

  const PAGE =
    '{ tramites(first: 50) { nodes { idt nre situacao historico { situacao ator ocorridoEm } unidadeRemetente { sigla orgao { sigla nome } } } } }';
  const post = (acceptEncoding: string | null) =>
    raw(gw.gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}),
      },
      body: JSON.stringify({ query: PAGE }),
    });

  test('a page of trâmites is smaller with gzip and with brotli, and decodes to the same JSON', async () => {
    const plain = await post(null);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const json = JSON.parse(plain.body.toString('utf8'));
    expect(json.data.tramites.nodes).toHaveLength(50);
    for (const encoding of ['gzip', 'br']) {
      const compressed = await post(encoding);
      expect(compressed.status).toBe(200);
      expect(compressed.headers['content-encoding']).toBe(encoding);
      expect(compressed.headers.vary).toMatch(/accept-encoding/i);
      expect(compressed.body.length, encoding).toBeLessThan(plain.body.length / 4);
      expect(JSON.parse(decode(compressed).toString('utf8'))).toEqual(json);
    }
  });

  test('an uncompressed answer carries its length; a chunked request body is bounded by MAX_REQUEST_BODY_BYTES as it is read', async () => {
    const plain = await post(null);
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    expect(plain.headers['transfer-encoding']).toBeUndefined();
    const chunked = (query: string) =>
      raw(gw.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
        chunked: true,
      });
    const small = await chunked('{ __typename }');
    expect(small.status).toBe(200);
    expect(JSON.parse(small.body.toString('utf8'))).toEqual({ data: { __typename: 'Query' } });
    const big = await chunked(`{ __typename } # ${'x'.repeat(loadConfig({}).limits.requestBodyBytes)}`);
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body.toString('utf8')).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
  });

  test('small answers go uncompressed; a streamed subscription (SSE) is not buffered to compress', async () => {
    const small = await raw(`${gw.gateway.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(small.status).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    const stream = await raw(`${gw.gateway.url}?query=${encodeURIComponent('subscription { eventosTramites { cursor } }')}`, {
      headers: { accept: 'text/event-stream', 'accept-encoding': 'br, gzip', authorization: `Bearer ${token}` },
      firstChunkOnly: true,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
    // yoga marks its streams `Content-Encoding: none` (for proxies too).
    expect(stream.headers['content-encoding'] ?? 'none').toBe('none');
    // The first bytes arrive before any event: the stream is live, not held back by a compressor.
    expect(stream.body.toString('utf8')).toMatch(/^:/);
  });

  test('GraphiQL: a small page naming content-hashed files that are immutable, precompressed and revalidated by ETag', async () => {
    const page = await raw(gw.gateway.url, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    const html = decode(page).toString('utf8');
    expect(html.length).toBeLessThan(10_000);
    expect(html).toContain('Tramita.GOV.BR');
    const files = [...html.matchAll(/\/graphql\/assets\/[\w.-]+/g)].map((m) => m[0]);
    expect(files.length).toBeGreaterThanOrEqual(5);
    let identityBytes = 0;
    let brotliBytes = 0;
    for (const file of new Set(files)) {
      const url = new URL(file, gw.gateway.url).toString();
      const plain = await raw(url);
      expect(plain.status, file).toBe(200);
      expect(plain.headers['cache-control'], file).toBe('public, max-age=31536000, immutable');
      const etag = plain.headers.etag as string;
      expect(file).toContain(etag.replace(/"/g, ''));
      const br = await raw(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.headers['content-encoding'], file).toBe('br');
      expect(decode(br).equals(plain.body), file).toBe(true);
      const revalidated = await raw(url, { headers: { 'if-none-match': etag } });
      expect(revalidated.status, file).toBe(304);
      expect(revalidated.body.length).toBe(0);
      identityBytes += plain.body.length;
      brotliBytes += br.body.length;
    }
    expect(identityBytes).toBeGreaterThan(5_000_000);
    expect(brotliBytes).toBeLessThan(identityBytes / 3);
    const pageAgain = await raw(gw.gateway.url, { headers: { accept: 'text/html', 'if-none-match': page.headers.etag as string } });
    expect(pageAgain.status).toBe(304);
    expect((await raw(new URL('/graphql/assets/nope.js', gw.gateway.url).toString())).status).toBe(404);
  });
});
