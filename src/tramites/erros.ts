/** What a trâmite step can answer instead of success (see src/kernel/erros.ts). */
import { ErroDeNegocio as ErroTramite } from '../kernel/erros.js';

import type { Acao, LadoAtor, Situacao } from './regras.js';

export { DadosInvalidos, ErroDeNegocio as ErroTramite, type Problema } from '../kernel/erros.js';

export class TramiteNaoEncontrado extends ErroTramite {
  readonly codigo = 'TRAMITE_NAO_ENCONTRADO';
  constructor() {
    super('Trâmite não encontrado.');
  }
}

export class TransicaoInvalida extends ErroTramite {
  readonly codigo = 'TRANSICAO_INVALIDA';
  constructor(
    readonly situacaoAtual: Situacao,
    readonly acao: Acao,
    readonly acoesPossiveis: Acao[],
  ) {
    super(`A ação ${acao} não é possível na situação ${situacaoAtual}.`);
  }
}

export class AcaoNaoPermitida extends ErroTramite {
  readonly codigo = 'ACAO_NAO_PERMITIDA';
  constructor(
    readonly ladoExigido: LadoAtor,
    readonly ladosDoAtor: LadoAtor[],
  ) {
    super(
      ladoExigido === 'PLATAFORMA'
        ? 'Esta ação é do próprio Tramita.GOV.BR.'
        : `Esta ação é do ${ladoExigido === 'REMETENTE' ? 'remetente' : 'destinatário'}; você não age por esse lado deste trâmite.`,
    );
  }
}

export class ConflitoConcorrencia extends ErroTramite {
  readonly codigo = 'CONFLITO';
  constructor(
    readonly situacaoAtual: Situacao,
    readonly versaoAtual: number,
  ) {
    super(`O trâmite mudou: agora está na situação ${situacaoAtual}, versão ${versaoAtual}. Releia e tente de novo.`);
  }
}

export class UnidadeNaoHabilitada extends ErroTramite {
  readonly codigo = 'UNIDADE_NAO_HABILITADA';
  constructor(
    readonly sigla: string,
    readonly finalidade: 'ENVIO' | 'RECEBIMENTO',
  ) {
    super(
      finalidade === 'RECEBIMENTO'
        ? `A Unidade ${sigla} não está configurada para receber processos/documentos avulsos.`
        : `A Unidade ${sigla} não está configurada para enviar processos/documentos avulsos.`,
    );
  }
}

export class ProcessoEmAndamento extends ErroTramite {
  readonly codigo = 'PROCESSO_EM_ANDAMENTO';
  constructor(readonly nre: string) {
    super(`Processo já possui um trâmite em andamento (erro 0044 do Tramita.GOV.BR): NRE ${nre}.`);
  }
}

export class ChaveIdempotenciaReutilizada extends ErroTramite {
  readonly codigo = 'CHAVE_IDEMPOTENCIA_REUTILIZADA';
  constructor() {
    super('Esta chave de idempotência já foi usada para outra operação.');
  }
}

// ---- digital components (upload and download) -------------------------------------------------

/** An upload names a component the trâmite did not declare (or declared with another hash). */
export class ComponenteNaoDeclarado extends ErroTramite {
  readonly codigo = 'COMPONENTE_NAO_DECLARADO';
  constructor(readonly hash: string) {
    super(`Nenhum componente digital deste trâmite foi declarado com o hash ${hash}.`);
  }
}

/** The uploaded bytes do not hash to the declared SHA-256: nothing was stored. */
export class HashNaoConfere extends ErroTramite {
  readonly codigo = 'HASH_NAO_CONFERE';
  constructor(
    readonly hashDeclarado: string,
    readonly hashRecebido: string,
  ) {
    super(`O hash dos bytes recebidos (${hashRecebido}) não confere com o declarado (${hashDeclarado}); nada foi guardado.`);
  }
}

/** The uploaded bytes are more or fewer than declared: nothing was stored. */
export class TamanhoNaoConfere extends ErroTramite {
  readonly codigo = 'TAMANHO_NAO_CONFERE';
  constructor(
    readonly tamanhoDeclarado: number,
    readonly tamanhoRecebido: number,
  ) {
    super(`Foram recebidos ${tamanhoRecebido} bytes; o componente foi declarado com ${tamanhoDeclarado}. Nada foi guardado.`);
  }
}

/** The upload's MIME type differs from the one declared for the component. */
export class MimeTypeNaoConfere extends ErroTramite {
  readonly codigo = 'MIME_TYPE_NAO_CONFERE';
  constructor(
    readonly declarado: string,
    readonly recebido: string,
  ) {
    super(`O componente foi declarado como ${declarado}; o envio veio como ${recebido}.`);
  }
}
