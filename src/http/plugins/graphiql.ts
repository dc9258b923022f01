import { createHash } from 'node:crypto';
import { shouldRenderGraphiQL, type GraphiQLOptions, type Plugin } from 'graphql-yoga';
import { compress, negotiateEncoding, type ContentEncoding } from './compression.js';

export interface GraphiQLPageOptions {
  /** The GraphQL endpoint; the page is served there (GET, Accept: text/html), its files under `<endpoint>/assets/`. */
  endpoint: string;
  /** What the page shows: title, default tabs, subscription protocol… (yoga's GraphiQL options). */
  graphiql: GraphiQLOptions;
  /** Brotli quality for the files, compressed once on first request (0–11). */
  brotliQuality: number;
}

interface Asset {
  name: string;
  contentType: string;
  body: Buffer<ArrayBuffer>;
  etag: string;
  /** Compressed copies, made once on first request for each encoding. */
  encoded: Map<ContentEncoding, Promise<Buffer<ArrayBuffer>>>;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

const hashOf = (body: Buffer | string) => createHash('sha256').update(body).digest('hex').slice(0, 16);

function asset(base: string, extension: string, contentType: string, body: Buffer<ArrayBuffer>): Asset {
  const hash = hashOf(body);
  return { name: `${base}.${hash}.${extension}`, contentType, body, etag: `"${hash}"`, encoded: new Map() };
}

/**
 * GraphiQL as a small page plus content-hashed files (script, styles, the editor's web workers,
 * the icon) with year-long immutable cache headers, precompressed once per encoding: the 9 MB
 * bundle of @graphql-yoga/render-graphiql travels once, compressed, and a reload revalidates only
 * the page (ETag, 304). Nothing is fetched from a CDN.
 */
export function graphiqlPage(options: GraphiQLPageOptions): Plugin {
  // Built on the first request for the page or a file: no first answer to a query waits for 9 MB of files.
  let files: Promise<GraphiQLFiles> | null = null;
  const base = `${options.endpoint}/assets/`;

  async function encodedBody(a: Asset, encoding: ContentEncoding | null): Promise<Buffer<ArrayBuffer>> {
    if (!encoding) return a.body;
    let encoded = a.encoded.get(encoding);
    if (!encoded) {
      encoded = compress(a.body, encoding, options.brotliQuality);
      a.encoded.set(encoding, encoded);
    }
    return encoded;
  }

  return {
    async onRequest({ request, fetchAPI, endResponse }) {
      const path = new URL(request.url).pathname;
      const isPage = path === options.endpoint && shouldRenderGraphiQL(request);
      if (!isPage && (!path.startsWith(base) || request.method !== 'GET')) return;
      files ??= import('@graphql-yoga/render-graphiql/graphiql').then((bundle) => graphiqlFiles(bundle, base, options));
      const { page, assets } = await files;
      if (isPage) {
        // The page itself is small and revalidated on each load: it names the current files.
        const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', etag: page.etag };
        if (request.headers.get('if-none-match') === page.etag) return endResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return endResponse(new fetchAPI.Response(page.body, { status: 200, headers }));
      }
      const found = assets.get(path.slice(base.length));
      if (!found) return endResponse(new fetchAPI.Response('Not found', { status: 404 }));
      const headers: Record<string, string> = {
        'content-type': found.contentType,
        'cache-control': IMMUTABLE,
        etag: found.etag,
        vary: 'Accept-Encoding',
      };
      if (request.headers.get('if-none-match') === found.etag) return endResponse(new fetchAPI.Response(null, { status: 304, headers }));
      const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
      const body = await encodedBody(found, encoding);
      if (encoding) headers['content-encoding'] = encoding;
      headers['content-length'] = String(body.length);
      endResponse(new fetchAPI.Response(body, { status: 200, headers }));
    },
  };
}

interface GraphiQLFiles {
  page: { body: Buffer<ArrayBuffer>; etag: string };
  assets: Map<string, Asset>;
}

function graphiqlFiles(
  bundle: typeof import('@graphql-yoga/render-graphiql/graphiql'),
  base: string,
  options: GraphiQLPageOptions,
): GraphiQLFiles {
  const js = (name: string, source: string) => asset(name, 'js', 'text/javascript; charset=utf-8', Buffer.from(source));
  const favicon = asset('favicon', 'ico', 'image/x-icon', Buffer.from(bundle.favicon.replace(/^data:[^,]*;base64,/, ''), 'base64'));
  const script = js('graphiql', bundle.js);
  const styles = asset('graphiql', 'css', 'text/css; charset=utf-8', Buffer.from(bundle.css));
  const workers = {
    editorWorkerService: js('editor.worker', bundle.editorWorkerService),
    json: js('json.worker', bundle.jsonWorker),
    graphql: js('graphql.worker', bundle.graphqlWorker),
  };
  const assets = new Map([favicon, script, styles, ...Object.values(workers)].map((a) => [a.name, a]));
  const url = (a: Asset) => `${base}${a.name}`;
  // JSON inside <script>: `<` escaped so no string in the options can close the tag.
  const inline = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  const text = (value: string) => value.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html>
<html lang="pt-BR">
  <head>
    <meta charset="utf-8" />
    <title>${text(options.graphiql.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${url(favicon)}" />
    <link rel="stylesheet" href="${url(styles)}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>O GraphiQL precisa de JavaScript.</noscript>
    <div id="root"></div>
    <script>
      const workers = ${inline(Object.fromEntries(Object.entries(workers).map(([label, a]) => [label, url(a)])))};
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workers[label] };
    </script>
    <script src="${url(script)}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${inline(options.graphiql)});
    </script>
  </body>
</html>
`;
  return { page: { body: Buffer.from(html), etag: `"${hashOf(html)}"` }, assets };
}
