/** The resolve hook of bench/base-copies.mjs. */
import { pathToFileURL } from 'node:url';

const raiz = new URL('../', import.meta.url).href;
const pasta = pathToFileURL(`${process.env.BENCH_BASE_DIR ?? '.artifacts/base'}/`.replace(/^(?!\/)/, `${process.cwd()}/`)).href;
const copias = new Map(
  (process.env.BENCH_BASE_FILES ?? '')
    .split(',')
    .filter(Boolean)
    .map((arquivo) => [new URL(arquivo, raiz).href, new URL(arquivo, pasta).href]),
);

export async function resolve(especificador, contexto, proximo) {
  // A copy's own imports resolve from where the original lives.
  const parentURL = contexto.parentURL?.startsWith(pasta) ? raiz + contexto.parentURL.slice(pasta.length) : contexto.parentURL;
  const resolvido = await proximo(especificador, { ...contexto, parentURL });
  const copia = copias.get(resolvido.url);
  return copia ? { ...resolvido, url: copia } : resolvido;
}
