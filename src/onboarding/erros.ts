import { ErroDeNegocio } from '../kernel/erros.js';
import type { Ambiente } from '../kernel/ambiente.js';
import { OrgaoNaoAdmitidoNoAmbiente } from '../tramites/erros.js';
import type { AcaoOnboarding, Etapa } from './regras.js';

export class OnboardingNaoEncontrado extends ErroDeNegocio {
  readonly codigo = 'ONBOARDING_NAO_ENCONTRADO';
  constructor() {
    super('Este órgão ainda não solicitou acesso ao Tramita.GOV.BR (ou não existe).');
  }
}

export class EtapaInvalida extends ErroDeNegocio {
  readonly codigo = 'ETAPA_INVALIDA';
  constructor(
    readonly etapaAtual: Etapa | null,
    readonly acao:
      | AcaoOnboarding
      | 'REGISTRAR_REQUISITO'
      | 'CONFIRMAR_REQUISITO'
      | 'RECUSAR_REQUISITO'
      | 'REGISTRAR_TESTES_INICIADOS'
      | 'REGISTRAR_GESTOR'
      | 'REMOVER_GESTOR'
      | 'CONFIRMAR_CONFIGURACAO_PRODUCAO',
    readonly acoesPossiveis: AcaoOnboarding[],
  ) {
    super(`A ação ${acao} não é possível na etapa ${etapaAtual ?? '(sem solicitação)'}.`);
  }
}

export class PapelNaoPermitido extends ErroDeNegocio {
  readonly codigo = 'PAPEL_NAO_PERMITIDO';
  constructor(readonly responsavel: 'ORGAO' | 'PEN') {
    super(responsavel === 'PEN' ? 'Esta ação é da equipe do PEN (PEN_ADMIN).' : 'Esta ação é de um gestor de protocolo do próprio órgão.');
  }
}

export class CriteriosNaoAtendidos extends ErroDeNegocio {
  readonly codigo = 'CRITERIOS_NAO_ATENDIDOS';
  constructor(readonly pendencias: string[]) {
    super(`Ainda falta: ${pendencias.join('; ')}.`);
  }
}

/** A registered SPE public key must be an RSA key of at least 2048 bits, in PEM (SPKI) or JWK. */
export class ChavePublicaInvalida extends ErroDeNegocio {
  readonly codigo = 'CHAVE_PUBLICA_INVALIDA';
  constructor(readonly motivo: 'FORMATO' | 'NAO_RSA' | 'CURTA' | 'PRIVADA') {
    super(
      {
        FORMATO: 'Chave pública ilegível: envie um PEM (BEGIN PUBLIC KEY) ou um JWK RSA (kty, n, e).',
        NAO_RSA: 'A chave do SPE deve ser RSA (o recibo de conclusão é assinado com RSA-SHA256).',
        CURTA: 'A chave RSA deve ter ao menos 2048 bits.',
        PRIVADA: 'Isto é uma chave privada: registre só a pública, e guarde a privada no SPE.',
      }[motivo],
    );
  }
}
export class TestesJaIniciados extends ErroDeNegocio {
  readonly codigo = 'TESTES_JA_INICIADOS';
  constructor(readonly iniciadosEm: Date) {
    super(`O início dos testes em produção já foi registrado em ${iniciadosEm.toISOString()}.`);
  }
}

export class OrgaoJaCadastrado extends ErroDeNegocio {
  readonly codigo = 'ORGAO_JA_CADASTRADO';
  constructor(readonly campo: 'cnpj' | 'sigla' | 'orgao') {
    super(
      campo === 'cnpj'
        ? 'Já existe um órgão cadastrado (ou com solicitação) com este CNPJ.'
        : campo === 'sigla'
          ? 'Já existe um órgão com esta sigla neste repositório.'
          : 'Este órgão já tem onboarding: use a solicitação do próprio órgão.',
    );
  }
}

export class SolicitacaoEmAberto extends ErroDeNegocio {
  readonly codigo = 'SOLICITACAO_EM_ABERTO';
  constructor() {
    super('Este órgão já tem uma solicitação de acesso em análise pelo PEN.');
  }
}

export class OrgaoJaEmProducao extends ErroDeNegocio {
  readonly codigo = 'ORGAO_JA_EM_PRODUCAO';
  constructor() {
    super('Este órgão já opera no Tramita.GOV.BR (em produção ou a caminho): não pode solicitar acesso de novo.');
  }
}

export class DocumentoInvalido extends ErroDeNegocio {
  readonly codigo = 'DOCUMENTO_INVALIDO';
  constructor(
    readonly motivo: 'AUSENTE' | 'NAO_PDF' | 'GRANDE_DEMAIS',
    mensagem: string,
  ) {
    super(mensagem);
  }
}

/**
 * An automatic test counterpart named as a side of a trâmite outside homologação: they exist only there (docs/domain.md
 * §6: the four test SEIs are homologação's). The same coded refusal as any agency not admitted in the environment.
 */
export class ContraparteSomenteEmHomologacao extends OrgaoNaoAdmitidoNoAmbiente {
  constructor(sigla: string, ambiente: Ambiente) {
    super(sigla, ambiente, null);
    this.message = `O órgão ${sigla} é uma contraparte de teste automática do Tramita.GOV.BR: só troca trâmites em homologação.`;
  }
}

/** A test counterpart number that is not one of the four. */
export class ContraparteNaoEncontrada extends ErroDeNegocio {
  readonly codigo = 'CONTRAPARTE_NAO_ENCONTRADA';
  constructor(readonly numero: number) {
    super(`Não há contraparte de teste ${numero}: use de 1 a 4.`);
  }
}

export class GestorJaCadastrado extends ErroDeNegocio {
  readonly codigo = 'GESTOR_JA_CADASTRADO';
  constructor() {
    super('Já há um gestor de protocolo com este CPF neste órgão e ambiente.');
  }
}

export class GestorNaoEncontrado extends ErroDeNegocio {
  readonly codigo = 'GESTOR_NAO_ENCONTRADO';
  constructor() {
    super('Não há gestor de protocolo com este CPF neste órgão e ambiente.');
  }
}

/** The last gestor of an environment stays: the agency would be left without anyone to keep its configuration. */
export class UltimoGestor extends ErroDeNegocio {
  readonly codigo = 'ULTIMO_GESTOR';
  constructor() {
    super('Este é o único gestor de protocolo do órgão neste ambiente: cadastre outro antes de removê-lo.');
  }
}
