/** Structure rules (docs/domain.md §7.2), pure: how a unit takes part in trâmites and who receives for it. */

/**
 * Repositório 1, "Poder Executivo Federal" (SIORG): its units are imported on a schedule, never edited by the agencies;
 * the bodies of the other repositórios keep their own tree (docs/domain.md §7.2; Portal PROT).
 */
export const REPOSITORIO_SIORG = 1;

export function hierarquiaEditavelPeloOrgao(repositorioId: number): boolean {
  return repositorioId !== REPOSITORIO_SIORG;
}

/** "Enviar e Receber", "Somente enviar", "Somente receber" (PROT; FAQ 2.14), or not enabled by the gestores. */
// Values as published in the schema since the first wave (enum ModoTramitacao).
export const MODOS_TRAMITACAO = ['ENVIO_E_RECEBIMENTO', 'SOMENTE_ENVIO', 'SOMENTE_RECEBIMENTO', 'NAO_HABILITADA'] as const;
export type ModoTramitacao = (typeof MODOS_TRAMITACAO)[number];

export interface Habilitacao {
  habilitadaEnvio: boolean;
  habilitadaRecebimento: boolean;
}

export function modoTramitacao(u: Habilitacao): ModoTramitacao {
  if (u.habilitadaEnvio && u.habilitadaRecebimento) return 'ENVIO_E_RECEBIMENTO';
  if (u.habilitadaEnvio) return 'SOMENTE_ENVIO';
  if (u.habilitadaRecebimento) return 'SOMENTE_RECEBIMENTO';
  return 'NAO_HABILITADA';
}

export function habilitacaoDoModo(modo: ModoTramitacao): Habilitacao {
  return {
    habilitadaEnvio: modo === 'ENVIO_E_RECEBIMENTO' || modo === 'SOMENTE_ENVIO',
    habilitadaRecebimento: modo === 'ENVIO_E_RECEBIMENTO' || modo === 'SOMENTE_RECEBIMENTO',
  };
}

export interface UnidadeParaTramite extends Habilitacao {
  id: number;
  ativo: boolean;
  centralizadora: boolean;
  centralizadoraId: number | null;
}

/** A unit that may start a trâmite: active and enabled to send. */
export function podeEnviar(u: UnidadeParaTramite): boolean {
  return u.ativo && u.habilitadaEnvio;
}

/**
 * Who receives a trâmite sent to `destino`: its centralising unit when it has one that is active, still
 * centralising and enabled to receive ("unidades centralizadoras", FAQ 2.15; MSP replaces the destination with
 * `unidadeReceptora`); else the destination itself if it is active and enabled to receive; else nobody (refused).
 */
export function unidadeReceptora(
  destino: UnidadeParaTramite,
  centralizadora: UnidadeParaTramite | null,
): { receptora: UnidadeParaTramite; centralizada: boolean } | null {
  if (!destino.ativo) return null;
  if (centralizadora && centralizadora.id === destino.centralizadoraId && centralizadora.ativo && centralizadora.centralizadora) {
    if (centralizadora.habilitadaRecebimento) return { receptora: centralizadora, centralizada: true };
  }
  return destino.habilitadaRecebimento ? { receptora: destino, centralizada: false } : null;
}
