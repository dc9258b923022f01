/** What a trâmite step can answer instead of success (see src/kernel/erros.ts). */
import { ErroDeNegocio as ErroTramite } from '../kernel/erros.js';

import type { Ambiente } from '../kernel/ambiente.js';
import type { Papel, RecusaDeOrgao } from '../kernel/viewer.js';
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
  override readonly codigoPlataforma = '0044';
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

/**
 * The NRE named does not belong to this process (another process's, an avulso's, or never issued):
 * the platform's "Inconsistência no número de protocolo do processo tramitado por este NRE". Its
 * `codigoErro` is not in any source (docs/domain.md §9), so none is carried.
 */
export class NreInconsistente extends ErroTramite {
  readonly codigo = 'NRE_INCONSISTENTE';
  constructor(
    readonly nre: string,
    readonly numeroProcesso: string,
  ) {
    super(
      `Inconsistência no número de protocolo do processo tramitado por este NRE (${nre}): ${numeroProcesso} não é o processo deste NRE.`,
    );
  }
}

/** Only the process's holder (the last successful recipient, or its first sender) may start its next trâmite. */
export class ProcessoNaoDetido extends ErroTramite {
  readonly codigo = 'PROCESSO_NAO_DETIDO';
  constructor(
    readonly numeroProcesso: string,
    readonly detentorOrgaoId: number,
  ) {
    super(`O processo ${numeroProcesso} está com outro órgão: só quem o recebeu por último pode enviá-lo.`);
  }
}

/** The viewer is on the right side but its role does not take this step (e.g. a gestor's token on an SPE step). */
export class PapelSemPermissao extends ErroTramite {
  readonly codigo = 'PAPEL_SEM_PERMISSAO';
  constructor(
    readonly acao: Acao,
    readonly papeisExigidos: readonly Papel[],
  ) {
    super(
      papeisExigidos.length === 1 && papeisExigidos[0] === 'SPE'
        ? `A ação ${acao} é do sistema de processo eletrônico (SPE) do órgão, com a credencial dele; um gestor de protocolo ou a equipe PEN não a fazem.`
        : `A ação ${acao} é de: ${papeisExigidos.join(', ')}.`,
    );
  }
}

/** The recipient's agency has no SPE public key registered: its recibo de conclusão cannot be verified. */
export class ChavePublicaNaoRegistrada extends ErroTramite {
  readonly codigo = 'CHAVE_PUBLICA_NAO_REGISTRADA';
  constructor() {
    super(
      'O órgão destinatário não tem chave pública do SPE registrada neste ambiente: um gestor de protocolo a registra com registrarChavePublicaSpe.',
    );
  }
}

/** The recibo de conclusão's signature is malformed or does not verify against the recipient's registered key. */
export class AssinaturaInvalida extends ErroTramite {
  readonly codigo = 'ASSINATURA_INVALIDA';
  constructor(
    /** The text the gateway rebuilt and verified against (what the SPE must sign). */
    readonly textoAssinado: string,
    readonly chaveId: string,
  ) {
    super(
      'A assinatura do recibo de conclusão não confere: assine com RSA-SHA256 (chave do SPE registrada) o texto em textoAssinado e envie-a em base64.',
    );
  }
}

/**
 * An agency that its onboarding does not admit yet to exchange trâmites in this environment (homologação once its
 * registration is approved and its structure configured; produção once production access is granted). Decided by
 * onboarding at composition (src/http/servicos.ts); `etapa` is the stage it is at, null when it never asked for access.
 */
export class OrgaoNaoAdmitidoNoAmbiente extends ErroTramite {
  readonly codigo = 'ORGAO_NAO_ADMITIDO_NO_AMBIENTE';
  constructor(
    readonly sigla: string,
    readonly ambiente: Ambiente,
    readonly etapa: string | null,
  ) {
    super(
      `O órgão ${sigla} ainda não troca trâmites em ${ambiente === 'PRODUCAO' ? 'produção' : 'homologação'}: ${
        etapa ? `está na etapa ${etapa} do onboarding` : 'não solicitou acesso'
      }.`,
    );
  }
}

/**
 * The agency an operation acts for is not one the credential may act for: an SPE naming an agency it does not serve,
 * an SPE serving several that names none, or a person naming another agency. Nothing is written.
 */
export class OrgaoNaoServido extends ErroTramite {
  readonly codigo = 'ORGAO_NAO_SERVIDO';
  constructor(readonly motivo: RecusaDeOrgao) {
    super(
      motivo === 'NAO_INFORMADO'
        ? 'Este SPE atende vários órgãos: informe em `orgao` por qual deles age nesta operação.'
        : 'Esta credencial não age pelo órgão informado em `orgao` (o SPE não atende esse órgão).',
    );
  }
}
