/**
 * Driving trâmites through the service as the demo SPEs do, for the benches and the tests that walk many trâmites
 * below GraphQL: a start carries one small real document, and each step is the act that moves it (the upload of the
 * component's bytes, the confirmation of its hash, the recibo de conclusão signed with the demo key over the text the
 * gateway rebuilds, the bare step otherwise).
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { documentoDeTeste } from '../onboarding/contrapartes.js';
import { textoDoReciboDeConclusao } from '../tramites/conclusao.js';
import type { Acao } from '../tramites/regras.js';
import type { PedidoInicio, PedidoPasso, ResultadoPasso, ServicoTramites } from '../tramites/servico.js';
import { tramites } from '../tramites/tables.js';
import { assinarComoSpeDemo } from './chaves-spe.js';

/** The one component every driven trâmite carries (the same bytes: re-sendable, and the hash is theirs). */
export const COMPONENTE_DE_DEMO = documentoDeTeste('demo', 'DEMO');
export const HASH_DE_DEMO = createHash('sha256').update(COMPONENTE_DE_DEMO).digest('base64');

/** The content fields of a start (`iniciarTramite`): a public process with one document of one component. */
export const CONTEUDO_DE_DEMO: Pick<PedidoInicio, 'processo' | 'documentos'> = {
  processo: {
    nivelDeSigilo: 1,
    processoDeNegocio: 'Demonstração',
    produtor: 'SPE de demonstração',
    interessados: ['Interessado'],
  },
  documentos: [
    {
      ordem: 1,
      especie: 63,
      descricao: 'Ofício',
      nivelDeSigilo: 1,
      produtor: 'SPE de demonstração',
      componentes: [
        {
          ordem: 1,
          nome: 'oficio.pdf',
          hash: HASH_DE_DEMO,
          tamanhoEmBytes: COMPONENTE_DE_DEMO.byteLength,
          mimeType: 'application/pdf',
          tipoDeConteudo: 'txt',
        },
      ],
    },
  ],
};

async function* umaParte(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

export type PedidoDeConducao = Omit<PedidoPasso, 'acao'> & {
  acao: Exclude<Acao, 'INICIAR' | 'CANCELAR_AUTOMATICAMENTE'>;
};

/** One step of a trâmite started with `CONTEUDO_DE_DEMO`, as its SPE takes it. */
export async function conduzirPasso(db: Database, servico: ServicoTramites, pedido: PedidoDeConducao): Promise<ResultadoPasso> {
  const { acao } = pedido;
  if (acao === 'ENVIAR_COMPONENTES_DIGITAIS') {
    const r = await servico.receberComponente({
      viewer: pedido.viewer,
      tramiteId: pedido.tramiteId,
      hash: HASH_DE_DEMO,
      mimeType: 'application/pdf',
      bytes: umaParte(COMPONENTE_DE_DEMO),
      agora: pedido.agora,
    });
    if (!r.evento) throw new Error(`trâmite ${pedido.tramiteId}: the upload did not move it to 2`);
    return { tramite: r.tramite, evento: r.evento, repetida: false };
  }
  if (acao === 'RECEBER_COMPONENTES_DIGITAIS')
    return servico.confirmarRecebimento({
      ...pedido,
      hashes: [{ documento: 1, componente: 1, hash: HASH_DE_DEMO }],
    });
  if (acao === 'ENVIAR_RECIBO_CONCLUSAO') {
    return servico.executarPasso({
      ...pedido,
      acao,
      recibo: {
        hashDaAssinatura: await assinaturaDeDemo(db, pedido.tramiteId),
      },
    });
  }
  return servico.executarPasso({ ...pedido, acao });
}

/**
 * The demo SPE's `hashDaAssinatura` for a trâmite's recibo de conclusão: the text rebuilt from the trâmite as read (at
 * 4, its last change is its arrival at 4), signed with the demo key. A trâmite elsewhere is refused by its status anyway.
 */
export async function assinaturaDeDemo(db: Database, tramiteId: number): Promise<string> {
  const [atual] = await db.select().from(tramites).where(eq(tramites.id, tramiteId));
  if (!atual) return assinarComoSpeDemo('');
  return assinarComoSpeDemo(await textoDoReciboDeConclusao(db, atual));
}
