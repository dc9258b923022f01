// The pure rules of the trâmite status machine (src/tramites/regras.ts) against the table of
// docs/domain.md, written out here independently: code, official name, who moves the trâmite there,
// from which statuses. No database.
import { describe, expect, test } from 'vitest';
import type { Papel, Viewer } from '../src/kernel/viewer.js';
import {
  acoesPermitidas,
  DIAS_PARA_CANCELAMENTO_AUTOMATICO,
  isSituacao,
  JUSTIFICATIVA_RECUSA_MAX,
  ladosDoViewer,
  MOTIVOS_RECUSA,
  PASSO_POR_ACAO,
  PASSOS,
  passosAPartirDe,
  SITUACAO_INFO,
  SITUACOES,
  SITUACOES_EM_ANDAMENTO,
  SITUACOES_FINAIS,
  type Acao,
  type LadoAtor,
  type Situacao,
} from '../src/tramites/regras.js';

/**
 * docs/domain.md, "A trâmite and its ten statuses" (FAQ 7.12), with the project's choices where the
 * sources disagree: refusal from 3-4, cancellation and auto-cancellation from 1-4. Status 2 is
 * "platform, once the remetente's uploads are complete": the remetente's side acts (it finishes the
 * upload) and the platform records 2, so the step belongs to REMETENTE.
 */
const DOMINIO: Array<{ codigo: Situacao; nome: string; lado: LadoAtor; de: Situacao[]; acao: Acao }> = [
  { codigo: 1, nome: 'Aguardando o envio dos arquivos digitais', lado: 'REMETENTE', de: [], acao: 'INICIAR' },
  { codigo: 2, nome: 'Arquivos digitais recebidos pelo Tramita GOV.BR', lado: 'REMETENTE', de: [1], acao: 'ENVIAR_COMPONENTES_DIGITAIS' },
  {
    codigo: 3,
    nome: 'Metadados recebidos pelo sistema de processo eletrônico destinatário',
    lado: 'DESTINATARIO',
    de: [2],
    acao: 'RECEBER_METADADOS',
  },
  { codigo: 4, nome: 'Arquivos digitais recebidos pelo destinatário', lado: 'DESTINATARIO', de: [3], acao: 'RECEBER_COMPONENTES_DIGITAIS' },
  { codigo: 5, nome: 'Recibo de conclusão recebido pelo Tramita GOV.BR', lado: 'DESTINATARIO', de: [4], acao: 'ENVIAR_RECIBO_CONCLUSAO' },
  { codigo: 6, nome: 'Recibo de conclusão recebido pelo remetente', lado: 'REMETENTE', de: [5], acao: 'RECEBER_RECIBO_CONCLUSAO' },
  { codigo: 7, nome: 'Trâmite cancelado', lado: 'REMETENTE', de: [1, 2, 3, 4], acao: 'CANCELAR' },
  { codigo: 8, nome: 'Trâmite recusado. Aguardando ciência do remetente', lado: 'DESTINATARIO', de: [3, 4], acao: 'RECUSAR' },
  { codigo: 9, nome: 'Ciência da recusa recebido pelo remetente', lado: 'REMETENTE', de: [8], acao: 'DAR_CIENCIA_RECUSA' },
  { codigo: 10, nome: 'Trâmite cancelado automaticamente', lado: 'PLATAFORMA', de: [1, 2, 3, 4], acao: 'CANCELAR_AUTOMATICAMENTE' },
];
const FINAIS_DOMINIO: Situacao[] = [6, 7, 9, 10];
/** FAQ on "parados": the origin must act in 1, 5, 8; the destination in 2, 3, 4. */
const QUEM_DEVE_AGIR: Partial<Record<Situacao, LadoAtor>> = {
  1: 'REMETENTE',
  5: 'REMETENTE',
  8: 'REMETENTE',
  2: 'DESTINATARIO',
  3: 'DESTINATARIO',
  4: 'DESTINATARIO',
};

const ORIGEM = 100;
const DESTINO = 200;
const OUTRO = 300;
const participantes = { remetenteOrgaoId: ORIGEM, destinatarioOrgaoId: DESTINO };
const viewer = (orgaoId: number | null, ...papeis: Papel[]): Viewer => ({
  sujeito: `v-${orgaoId}-${papeis.join('+')}`,
  orgaoId,
  papeis: new Set(papeis),
});

/** What docs/domain.md lets each side do from each status (the PLATAFORMA step is never a viewer's). */
function esperadasDoDominio(lados: LadoAtor[], situacao: Situacao): Acao[] {
  return DOMINIO.filter((d) => d.de.includes(situacao) && lados.includes(d.lado))
    .map((d) => d.acao)
    .sort();
}
const acoesDe = (v: Viewer, situacao: Situacao, p = participantes) =>
  acoesPermitidas(v, { ...p, situacao })
    .map((x) => x.acao)
    .sort();

describe('statuses', () => {
  test('ten statuses, 1 to 10, with the official names of FAQ 7.12', () => {
    expect([...SITUACOES]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const d of DOMINIO) {
      const info = SITUACAO_INFO[d.codigo];
      expect(info.codigo, `status ${d.codigo}`).toBe(d.codigo);
      expect(info.nome, `status ${d.codigo}`).toBe(d.nome);
    }
    expect(
      Object.keys(SITUACAO_INFO)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([...SITUACOES]);
    // Enum keys are distinct (the GraphQL enum is built from them).
    expect(new Set(SITUACOES.map((s) => SITUACAO_INFO[s].chave)).size).toBe(10);
  });

  test('finals are exactly 6, 7, 9 and 10; 8 waits for the sender', () => {
    expect([...SITUACOES_FINAIS].sort((a, b) => a - b)).toEqual(FINAIS_DOMINIO);
    expect([...SITUACOES_EM_ANDAMENTO].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 8]);
    for (const s of SITUACOES) expect(SITUACAO_INFO[s].final, `status ${s}`).toBe(FINAIS_DOMINIO.includes(s));
    expect(SITUACAO_INFO[8].final).toBe(false);
  });

  test('quemDeveAgir follows the FAQ: origin in 1, 5, 8; destination in 2, 3, 4; nobody in the finals', () => {
    for (const s of SITUACOES) expect(SITUACAO_INFO[s].quemDeveAgir, `status ${s}`).toBe(QUEM_DEVE_AGIR[s] ?? null);
  });

  test('isSituacao accepts 1..10 only', () => {
    for (const s of SITUACOES) expect(isSituacao(s)).toBe(true);
    for (const x of [0, 11, -1, 1.5, Number.NaN]) expect(isSituacao(x), String(x)).toBe(false);
  });
});

describe('transitions', () => {
  test('every (from, to) pair is allowed exactly when docs/domain.md allows it', () => {
    const deOuInicio: Array<Situacao | null> = [null, ...SITUACOES];
    for (const de of deOuInicio) {
      for (const para of SITUACOES) {
        const noDominio = DOMINIO.some((d) => d.codigo === para && (de === null ? d.de.length === 0 : d.de.includes(de)));
        const nasRegras = PASSOS.some((p) => p.para === para && (de === null ? p.de.length === 0 : p.de.includes(de)));
        expect(nasRegras, `${de ?? '∅'} → ${para}`).toBe(noDominio);
      }
    }
  });

  test('each step has the side and origins of docs/domain.md, and one step leads to each status', () => {
    expect(PASSOS).toHaveLength(DOMINIO.length);
    for (const d of DOMINIO) {
      const passos = PASSOS.filter((p) => p.para === d.codigo);
      expect(passos, `to ${d.codigo}`).toHaveLength(1);
      const [p] = passos;
      expect({ acao: p!.acao, lado: p!.lado, de: [...p!.de].sort() }, `to ${d.codigo}`).toEqual({ acao: d.acao, lado: d.lado, de: d.de });
    }
  });

  test('finals have no way out; every status in progress has one; 8 only moves to 9', () => {
    for (const s of SITUACOES) {
      const saidas = passosAPartirDe(s);
      if (FINAIS_DOMINIO.includes(s)) expect(saidas, `final ${s}`).toEqual([]);
      else expect(saidas.length, `status ${s}`).toBeGreaterThan(0);
    }
    expect(passosAPartirDe(8).map((p) => p.para)).toEqual([9]);
  });

  test('refusal only from 3 and 4, by the destinatário, to 8', () => {
    const recusa = PASSOS.filter((p) => p.para === 8);
    expect(recusa.map((p) => ({ acao: p.acao, de: [...p.de].sort(), lado: p.lado }))).toEqual([
      { acao: 'RECUSAR', de: [3, 4], lado: 'DESTINATARIO' },
    ]);
    for (const s of SITUACOES)
      expect(
        passosAPartirDe(s).some((p) => p.acao === 'RECUSAR'),
        `status ${s}`,
      ).toBe(s === 3 || s === 4);
  });

  test('cancellation from 1 to 4 by the remetente (7); not from 5 on', () => {
    expect([...PASSO_POR_ACAO.CANCELAR.de].sort()).toEqual([1, 2, 3, 4]);
    expect(PASSO_POR_ACAO.CANCELAR).toMatchObject({ para: 7, lado: 'REMETENTE' });
    for (const s of SITUACOES)
      expect(
        passosAPartirDe(s).some((p) => p.para === 7),
        `status ${s}`,
      ).toBe(s >= 1 && s <= 4);
  });

  test('auto-cancel from 1 to 4 by PLATAFORMA (10), after 8 days by default', () => {
    expect([...PASSO_POR_ACAO.CANCELAR_AUTOMATICAMENTE.de].sort()).toEqual([1, 2, 3, 4]);
    expect(PASSO_POR_ACAO.CANCELAR_AUTOMATICAMENTE).toMatchObject({ para: 10, lado: 'PLATAFORMA' });
    expect(PASSOS.filter((p) => p.lado === 'PLATAFORMA').map((p) => p.acao)).toEqual(['CANCELAR_AUTOMATICAMENTE']);
    expect(DIAS_PARA_CANCELAMENTO_AUTOMATICO).toBe(8);
  });

  test('only INICIAR leads to 1, and it starts from nothing', () => {
    expect(PASSOS.filter((p) => p.para === 1)).toEqual([PASSO_POR_ACAO.INICIAR]);
    expect(PASSOS.filter((p) => p.de.length === 0)).toEqual([PASSO_POR_ACAO.INICIAR]);
    for (const s of SITUACOES) expect(passosAPartirDe(s).some((p) => p.acao === 'INICIAR')).toBe(false);
  });

  test('every status is reachable from the start, and every status reaches a final one', () => {
    const alcancaveis = new Set<Situacao>([1]);
    for (let i = 0; i < SITUACOES.length; i++)
      for (const s of [...alcancaveis]) for (const p of passosAPartirDe(s)) alcancaveis.add(p.para);
    expect([...alcancaveis].sort((a, b) => a - b)).toEqual([...SITUACOES]);
    for (const s of SITUACOES) {
      const vistos = new Set<Situacao>([s]);
      for (let i = 0; i < SITUACOES.length; i++) for (const x of [...vistos]) for (const p of passosAPartirDe(x)) vistos.add(p.para);
      expect(
        [...vistos].some((x) => FINAIS_DOMINIO.includes(x)),
        `from ${s}`,
      ).toBe(true);
    }
  });

  test('PASSO_POR_ACAO and passosAPartirDe agree with PASSOS', () => {
    for (const p of PASSOS) expect(PASSO_POR_ACAO[p.acao]).toBe(p);
    for (const s of SITUACOES) expect(passosAPartirDe(s)).toEqual(PASSOS.filter((p) => p.de.includes(s)));
  });

  test('refusal reasons 01-04 and 99; justification up to 1,000 characters', () => {
    expect(Object.keys(MOTIVOS_RECUSA).sort()).toEqual(['01', '02', '03', '04', '99']);
    expect(JUSTIFICATIVA_RECUSA_MAX).toBe(1000);
  });
});

describe('who acts: ladosDoViewer', () => {
  test('each side of the trâmite (its gestor and its SPE alike), PEN_ADMIN, and everybody else', () => {
    expect(ladosDoViewer(viewer(ORIGEM, 'GESTOR_PROTOCOLO'), participantes)).toEqual(['REMETENTE']);
    expect(ladosDoViewer(viewer(ORIGEM, 'SPE'), participantes)).toEqual(['REMETENTE']);
    expect(ladosDoViewer(viewer(DESTINO, 'GESTOR_PROTOCOLO'), participantes)).toEqual(['DESTINATARIO']);
    expect(ladosDoViewer(viewer(DESTINO, 'SPE'), participantes)).toEqual(['DESTINATARIO']);
    // PEN_ADMIN acts for no side (docs/domain.md §5): it cancels on request, as the platform.
    expect(ladosDoViewer(viewer(null, 'PEN_ADMIN'), participantes)).toEqual([]);
    expect(ladosDoViewer(viewer(OUTRO, 'GESTOR_PROTOCOLO'), participantes)).toEqual([]);
    expect(ladosDoViewer(viewer(OUTRO, 'SPE'), participantes)).toEqual([]);
  });

  test('no role, or a role without an agency, acts for no side; nobody acts as PLATAFORMA', () => {
    expect(ladosDoViewer(viewer(ORIGEM), participantes)).toEqual([]);
    expect(ladosDoViewer(viewer(null, 'GESTOR_PROTOCOLO'), participantes)).toEqual([]);
    expect(ladosDoViewer(viewer(null, 'SPE'), participantes)).toEqual([]);
    for (const v of [
      viewer(ORIGEM, 'GESTOR_PROTOCOLO'),
      viewer(DESTINO, 'SPE'),
      viewer(null, 'PEN_ADMIN'),
      viewer(ORIGEM, 'PEN_ADMIN', 'GESTOR_PROTOCOLO'),
    ]) {
      expect(ladosDoViewer(v, participantes)).not.toContain('PLATAFORMA');
    }
  });

  test('an agency sending to itself (two of its units) acts for both sides', () => {
    expect(ladosDoViewer(viewer(ORIGEM, 'GESTOR_PROTOCOLO'), { remetenteOrgaoId: ORIGEM, destinatarioOrgaoId: ORIGEM })).toEqual([
      'REMETENTE',
      'DESTINATARIO',
    ]);
  });
});

describe('acoesPermitidas', () => {
  /**
   * docs/domain.md §5, written out independently of regras.ts: an SPE takes every step of its side(s);
   * a gestor de protocolo only cancels, for the remetente; PEN_ADMIN only cancels (1-4), for no side.
   */
  function esperadasPorPapel(papel: Papel, lados: LadoAtor[], situacao: Situacao): Acao[] {
    if (papel === 'SPE') return esperadasDoDominio(lados, situacao);
    if (papel === 'GESTOR_PROTOCOLO') return esperadasDoDominio(lados, situacao).filter((a) => a === 'CANCELAR');
    return [1, 2, 3, 4].includes(situacao) ? ['CANCELAR'] : [];
  }
  const casos: Array<{ quem: string; v: Viewer; papel: Papel; lados: LadoAtor[] }> = [
    { quem: 'remetente gestor', v: viewer(ORIGEM, 'GESTOR_PROTOCOLO'), papel: 'GESTOR_PROTOCOLO', lados: ['REMETENTE'] },
    { quem: 'remetente SPE', v: viewer(ORIGEM, 'SPE'), papel: 'SPE', lados: ['REMETENTE'] },
    { quem: 'destinatário gestor', v: viewer(DESTINO, 'GESTOR_PROTOCOLO'), papel: 'GESTOR_PROTOCOLO', lados: ['DESTINATARIO'] },
    { quem: 'destinatário SPE', v: viewer(DESTINO, 'SPE'), papel: 'SPE', lados: ['DESTINATARIO'] },
    { quem: 'PEN_ADMIN', v: viewer(null, 'PEN_ADMIN'), papel: 'PEN_ADMIN', lados: [] },
    { quem: 'unrelated agency', v: viewer(OUTRO, 'GESTOR_PROTOCOLO'), papel: 'GESTOR_PROTOCOLO', lados: [] },
    { quem: 'unrelated SPE', v: viewer(OUTRO, 'SPE'), papel: 'SPE', lados: [] },
  ];

  test.each(casos)('$quem: the steps its role takes for its side(s) from each status, per docs/domain.md', ({ v, papel, lados }) => {
    for (const s of SITUACOES) expect(acoesDe(v, s), `status ${s}`).toEqual(esperadasPorPapel(papel, lados, s));
  });

  test('spelled out for the two sides’ SPEs', () => {
    const rem = viewer(ORIGEM, 'SPE');
    const dest = viewer(DESTINO, 'SPE');
    const tabela = (v: Viewer) => Object.fromEntries(SITUACOES.map((s) => [s, acoesDe(v, s)]));
    expect(tabela(rem)).toEqual({
      1: ['CANCELAR', 'ENVIAR_COMPONENTES_DIGITAIS'],
      2: ['CANCELAR'],
      3: ['CANCELAR'],
      4: ['CANCELAR'],
      5: ['RECEBER_RECIBO_CONCLUSAO'],
      6: [],
      7: [],
      8: ['DAR_CIENCIA_RECUSA'],
      9: [],
      10: [],
    });
    expect(tabela(dest)).toEqual({
      1: [],
      2: ['RECEBER_METADADOS'],
      3: ['RECEBER_COMPONENTES_DIGITAIS', 'RECUSAR'],
      4: ['ENVIAR_RECIBO_CONCLUSAO', 'RECUSAR'],
      5: [],
      6: [],
      7: [],
      8: [],
      9: [],
      10: [],
    });
  });

  test('never offers INICIAR or the platform’s own step; nothing in a final status', () => {
    for (const { v } of casos) {
      for (const s of SITUACOES) {
        const acoes = acoesDe(v, s);
        expect(acoes).not.toContain('INICIAR');
        expect(acoes).not.toContain('CANCELAR_AUTOMATICAMENTE');
        if (FINAIS_DOMINIO.includes(s)) expect(acoes).toEqual([]);
      }
    }
  });
});
