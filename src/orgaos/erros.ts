/** What a structure read or configuration answers instead of success (see src/kernel/erros.ts). */
import { ErroDeNegocio } from '../kernel/erros.js';

export class UnidadeNaoEncontrada extends ErroDeNegocio {
  readonly codigo = 'UNIDADE_NAO_ENCONTRADA';
  constructor(readonly campo: string) {
    super(`Unidade não encontrada (${campo}).`);
  }
}

/** A lookup by (repositório, número) that is not in that repository: the platform's 0055. */
export class EstruturaForaDoRepositorio extends ErroDeNegocio {
  readonly codigo = 'ESTRUTURA_NAO_ENCONTRADA_NO_REPOSITORIO';
  override readonly codigoPlataforma = '0055';
  constructor(
    readonly repositorio: number,
    readonly numeroIdentificacao: number,
  ) {
    super(`Estrutura ${numeroIdentificacao} não encontrada no repositório de estruturas ${repositorio} (erro 0055 do Tramita.GOV.BR).`);
  }
}

/** Only the agency's own gestores de protocolo configure its structure. */
export class ConfiguracaoNaoPermitida extends ErroDeNegocio {
  readonly codigo = 'CONFIGURACAO_NAO_PERMITIDA';
  constructor() {
    super('Só um gestor de protocolo do órgão configura as unidades do seu órgão.');
  }
}

export class UnidadeDeOutroOrgao extends ErroDeNegocio {
  readonly codigo = 'UNIDADE_DE_OUTRO_ORGAO';
  constructor(readonly sigla: string) {
    super(`A unidade ${sigla} é de outro órgão: você só configura as unidades do seu órgão. Nada foi alterado.`);
  }
}

export class CentralizacaoInvalida extends ErroDeNegocio {
  readonly codigo = 'CENTRALIZACAO_INVALIDA';
}

/** SIORG's units are imported, not registered by the agency's gestores. */
export class HierarquiaImportada extends ErroDeNegocio {
  readonly codigo = 'HIERARQUIA_IMPORTADA';
  constructor() {
    super('As unidades de órgãos do SIORG são importadas do SIORG: cadastre-as lá. Nada foi alterado.');
  }
}

/** The agency keeps no configuration in that environment yet (produção: from production access on). */
export class AmbienteNaoConfiguravel extends ErroDeNegocio {
  readonly codigo = 'AMBIENTE_NAO_CONFIGURAVEL';
  constructor(
    readonly ambiente: string,
    readonly etapa: string | null,
  ) {
    super(
      `O órgão ainda não configura suas unidades em ${ambiente === 'PRODUCAO' ? 'produção' : 'homologação'}${etapa ? ` (etapa ${etapa})` : ''}: em produção, só a partir do acesso à produção, que copia a configuração da homologação. Nada foi alterado.`,
    );
  }
}
