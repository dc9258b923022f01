import { ErroDeNegocio } from '../kernel/erros.js';
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
    readonly acao: AcaoOnboarding | 'REGISTRAR_REQUISITO' | 'CONFIRMAR_REQUISITO' | 'RECUSAR_REQUISITO' | 'REGISTRAR_TESTES_INICIADOS',
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

export class TestesJaIniciados extends ErroDeNegocio {
  readonly codigo = 'TESTES_JA_INICIADOS';
  constructor(readonly iniciadosEm: Date) {
    super(`O início dos testes em produção já foi registrado em ${iniciadosEm.toISOString()}.`);
  }
}
