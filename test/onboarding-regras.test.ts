// The pure rules of onboarding (src/onboarding/regras.ts) against docs/domain.md, "Onboarding",
// written out here independently: the stages in order, who takes each step, from where to where, the
// gate each one must pass, which moves need a reason; which trâmite meets which test; what marks a
// production test. Plus the requirement list as data (the migration) against the domain's list.
// No database.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Papel, Viewer } from '../src/kernel/viewer.js';
import {
  AMBIENTE_DA_ETAPA,
  ETAPA_DOS_REQUISITOS,
  ETAPAS,
  PASSO_ONBOARDING,
  PASSOS_ONBOARDING,
  REQUISITO_SATISFEITO,
  descricaoDeTeste,
  passosOnboardingAPartirDe,
  podeAgir,
  requisitoAtendidoPorTramite,
  type AcaoOnboarding,
  type Condicao,
  type Etapa,
  type Responsavel,
  proximaSituacaoRequisito,
} from '../src/onboarding/regras.js';

/**
 * docs/domain.md, steps 1-7: (1) the agency's protocol manager requests access, again after a rejection;
 * (2) PEN analyses the registration: approves, or rejects (with a reason, recorded); (3) the agency
 * configures its structure — units that send and receive; (4) the agency does the minimum requirements
 * in homologação and asks for validation; (5) PEN validates them (or sends the agency back, with a
 * reason); (6) production access: ALL requirements again, in production, and the agency asks again;
 * (7) PEN validates in production: implanted ("data de implantação").
 */
const DOMINIO: Array<{
  acao: AcaoOnboarding;
  de: Array<Etapa | null>;
  para: Etapa;
  quem: Responsavel;
  portao: Condicao[];
  motivo: boolean;
}> = [
  { acao: 'SOLICITAR_ACESSO', de: [null, 'CADASTRO_REJEITADO'], para: 'ANALISE_CADASTRO', quem: 'ORGAO', portao: [], motivo: false },
  { acao: 'APROVAR_CADASTRO', de: ['ANALISE_CADASTRO'], para: 'CONFIGURACAO_ESTRUTURA', quem: 'PEN', portao: [], motivo: false },
  { acao: 'REJEITAR_CADASTRO', de: ['ANALISE_CADASTRO'], para: 'CADASTRO_REJEITADO', quem: 'PEN', portao: [], motivo: true },
  {
    acao: 'CONCLUIR_CONFIGURACAO',
    de: ['CONFIGURACAO_ESTRUTURA'],
    para: 'IMPLANTACAO_HOMOLOGACAO',
    quem: 'ORGAO',
    portao: ['UNIDADES_DEFINIDAS'],
    motivo: false,
  },
  {
    acao: 'SOLICITAR_VALIDACAO_HOMOLOGACAO',
    de: ['IMPLANTACAO_HOMOLOGACAO'],
    para: 'VALIDACAO_HOMOLOGACAO',
    quem: 'ORGAO',
    portao: ['REQUISITOS_HOMOLOGACAO'],
    motivo: false,
  },
  {
    acao: 'VALIDAR_HOMOLOGACAO',
    de: ['VALIDACAO_HOMOLOGACAO'],
    para: 'ACESSO_PRODUCAO',
    quem: 'PEN',
    portao: ['REQUISITOS_HOMOLOGACAO'],
    motivo: false,
  },
  { acao: 'REPROVAR_HOMOLOGACAO', de: ['VALIDACAO_HOMOLOGACAO'], para: 'IMPLANTACAO_HOMOLOGACAO', quem: 'PEN', portao: [], motivo: true },
  {
    acao: 'SOLICITAR_VALIDACAO_PRODUCAO',
    de: ['ACESSO_PRODUCAO'],
    para: 'VALIDACAO_PRODUCAO',
    quem: 'ORGAO',
    portao: ['CONFIGURACAO_PRODUCAO_CONFIRMADA', 'REQUISITOS_PRODUCAO'],
    motivo: false,
  },
  {
    acao: 'VALIDAR_PRODUCAO',
    de: ['VALIDACAO_PRODUCAO'],
    para: 'EM_PRODUCAO',
    quem: 'PEN',
    portao: ['REQUISITOS_PRODUCAO'],
    motivo: false,
  },
  { acao: 'REPROVAR_PRODUCAO', de: ['VALIDACAO_PRODUCAO'], para: 'ACESSO_PRODUCAO', quem: 'PEN', portao: [], motivo: true },
];

const viewer = (papeis: Papel[], orgaoId: number | null, sujeito = 'alguem'): Viewer => ({ sujeito, orgaoId, papeis: new Set(papeis) });

describe('stages', () => {
  test('the eight stages, in the order of the path; homologação up to its validation, then produção', () => {
    expect(ETAPAS).toEqual([
      'ANALISE_CADASTRO',
      'CADASTRO_REJEITADO',
      'CONFIGURACAO_ESTRUTURA',
      'IMPLANTACAO_HOMOLOGACAO',
      'VALIDACAO_HOMOLOGACAO',
      'ACESSO_PRODUCAO',
      'VALIDACAO_PRODUCAO',
      'EM_PRODUCAO',
    ]);
    for (const etapa of ETAPAS) {
      const producao = ['ACESSO_PRODUCAO', 'VALIDACAO_PRODUCAO', 'EM_PRODUCAO'].includes(etapa);
      expect(AMBIENTE_DA_ETAPA[etapa], etapa).toBe(producao ? 'PRODUCAO' : 'HOMOLOGACAO');
    }
    // Requirements are done (and may change) in implantação (homologação) and in production access.
    expect(ETAPA_DOS_REQUISITOS).toEqual({ HOMOLOGACAO: 'IMPLANTACAO_HOMOLOGACAO', PRODUCAO: 'ACESSO_PRODUCAO' });
    for (const [ambiente, etapa] of Object.entries(ETAPA_DOS_REQUISITOS)) expect(AMBIENTE_DA_ETAPA[etapa]).toBe(ambiente);
  });

  test('every stage is reachable from "no request yet"; every stage but EM_PRODUCAO leads on to EM_PRODUCAO; EM_PRODUCAO is final', () => {
    const alcancaveis = new Set<Etapa | null>([null]);
    for (let mudou = true; mudou; ) {
      mudou = false;
      for (const p of PASSOS_ONBOARDING) {
        if (p.de.some((d) => alcancaveis.has(d)) && !alcancaveis.has(p.para)) {
          alcancaveis.add(p.para);
          mudou = true;
        }
      }
    }
    expect(new Set(ETAPAS.filter((e) => alcancaveis.has(e)))).toEqual(new Set(ETAPAS));
    const chegam = new Set<Etapa>(['EM_PRODUCAO']);
    for (let mudou = true; mudou; ) {
      mudou = false;
      for (const p of PASSOS_ONBOARDING) {
        for (const d of p.de) {
          if (d !== null && chegam.has(p.para) && !chegam.has(d)) {
            chegam.add(d);
            mudou = true;
          }
        }
      }
    }
    expect(chegam).toEqual(new Set(ETAPAS));
    expect(passosOnboardingAPartirDe('EM_PRODUCAO')).toEqual([]);
    expect(passosOnboardingAPartirDe(null).map((p) => p.acao)).toEqual(['SOLICITAR_ACESSO']);
  });
});

describe('steps', () => {
  test('the step table is exactly the domain’s: from, to, who acts, gate, reason', () => {
    expect(
      PASSOS_ONBOARDING.map((p) => ({
        acao: p.acao,
        de: [...p.de],
        para: p.para,
        quem: p.responsavel,
        portao: [...p.condicoes],
        motivo: p.exigeMotivo,
      })),
    ).toEqual(DOMINIO);
    for (const p of PASSOS_ONBOARDING) expect(PASSO_ONBOARDING[p.acao]).toBe(p);
    expect(new Set(PASSOS_ONBOARDING.map((p) => p.acao)).size).toBe(PASSOS_ONBOARDING.length);
  });

  test('the agency asks, PEN decides: every request is the agency’s, every approval, rejection and validation PEN’s', () => {
    for (const p of PASSOS_ONBOARDING) {
      const pedido = p.acao.startsWith('SOLICITAR_') || p.acao === 'CONCLUIR_CONFIGURACAO';
      expect(p.responsavel, p.acao).toBe(pedido ? 'ORGAO' : 'PEN');
    }
  });

  test('a reason is required exactly for going back or rejecting', () => {
    const ordem = (e: Etapa) => ETAPAS.indexOf(e);
    for (const p of PASSOS_ONBOARDING) {
      const volta =
        p.para === 'CADASTRO_REJEITADO' || p.de.some((d) => d !== null && d !== 'CADASTRO_REJEITADO' && ordem(p.para) < ordem(d));
      expect(p.exigeMotivo, p.acao).toBe(volta);
    }
  });

  test('gates: the structure before implantação; both validation moves need all of the environment’s requirements; going back needs none', () => {
    for (const p of PASSOS_ONBOARDING) {
      if (p.exigeMotivo) {
        expect(p.condicoes, p.acao).toEqual([]);
        continue;
      }
      if (p.para === 'IMPLANTACAO_HOMOLOGACAO') expect(p.condicoes).toEqual(['UNIDADES_DEFINIDAS']);
      if (p.para === 'VALIDACAO_HOMOLOGACAO' || p.para === 'ACESSO_PRODUCAO')
        expect(p.condicoes, p.acao).toEqual(['REQUISITOS_HOMOLOGACAO']);
      // The agency asks for validation in produção once it confirmed the configuration replicated there.
      if (p.para === 'VALIDACAO_PRODUCAO') expect(p.condicoes, p.acao).toEqual(['CONFIGURACAO_PRODUCAO_CONFIRMADA', 'REQUISITOS_PRODUCAO']);
      if (p.para === 'EM_PRODUCAO') expect(p.condicoes, p.acao).toEqual(['REQUISITOS_PRODUCAO']);
      // The requirements gates are checked where the requirements were done, never before.
      for (const c of p.condicoes) {
        if (c === 'UNIDADES_DEFINIDAS') continue;
        const etapa = ETAPA_DOS_REQUISITOS[c === 'REQUISITOS_HOMOLOGACAO' ? 'HOMOLOGACAO' : 'PRODUCAO'];
        expect(
          p.de.every((d) => d !== null && ETAPAS.indexOf(d) >= ETAPAS.indexOf(etapa)),
          p.acao,
        ).toBe(true);
      }
    }
  });

  test('passosOnboardingAPartirDe lists exactly the steps from each stage', () => {
    for (const etapa of [null, ...ETAPAS]) {
      expect(
        passosOnboardingAPartirDe(etapa).map((p) => p.acao),
        String(etapa),
      ).toEqual(DOMINIO.filter((d) => d.de.includes(etapa)).map((d) => d.acao));
    }
  });
});

describe('who acts (podeAgir)', () => {
  const ORGAO = 7;
  const casos: Array<{ quem: string; v: Viewer; orgao: boolean; pen: boolean }> = [
    { quem: 'gestor of the agency', v: viewer(['GESTOR_PROTOCOLO'], ORGAO), orgao: true, pen: false },
    { quem: 'gestor of another agency', v: viewer(['GESTOR_PROTOCOLO'], ORGAO + 1), orgao: false, pen: false },
    { quem: 'the agency’s SPE (a system, not a person)', v: viewer(['SPE'], ORGAO), orgao: false, pen: false },
    { quem: 'PEN_ADMIN', v: viewer(['PEN_ADMIN'], null), orgao: false, pen: true },
    { quem: 'a token with no role', v: viewer([], ORGAO), orgao: false, pen: false },
  ];
  for (const c of casos) {
    test(`${c.quem}: the agency's steps ${c.orgao ? 'yes' : 'no'}, PEN's steps ${c.pen ? 'yes' : 'no'}`, () => {
      expect(podeAgir(c.v, 'ORGAO', ORGAO)).toBe(c.orgao);
      expect(podeAgir(c.v, 'PEN', ORGAO)).toBe(c.pen);
    });
  }
});

describe('trâmite tests and production tests', () => {
  test('requisitoAtendidoPorTramite: (a) sent with success = 6 as remetente; (b) received with success = 6 as destinatário; (c) refusal = 9 as destinatário; nothing else', () => {
    for (let situacao = 1; situacao <= 10; situacao++) {
      for (const lado of ['REMETENTE', 'DESTINATARIO'] as const) {
        const esperado =
          situacao === 6
            ? lado === 'REMETENTE'
              ? 'TRAMITE_ENVIADO_COM_SUCESSO'
              : 'TRAMITE_RECEBIDO_COM_SUCESSO'
            : situacao === 9 && lado === 'DESTINATARIO'
              ? 'RECUSA_COMO_DESTINATARIO'
              : null;
        expect(requisitoAtendidoPorTramite(situacao, lado), `${situacao} ${lado}`).toBe(esperado);
      }
    }
    // A refusal not yet acknowledged (8) does not count, nor does the sender's side of a refusal.
    expect(requisitoAtendidoPorTramite(8, 'DESTINATARIO')).toBeNull();
    expect(requisitoAtendidoPorTramite(9, 'REMETENTE')).toBeNull();
  });

  test('descricaoDeTeste: a description that starts with the word TESTE ("TESTE – órgão X")', () => {
    for (const sim of [
      'TESTE – Governo do Estado de Goiás',
      'TESTE - órgão X',
      'teste – minúsculas',
      '  TESTE – com espaços',
      'TESTE',
      'TESTE: recusa',
      'TESTE–sem espaço',
    ]) {
      expect(descricaoDeTeste(sim), sim).toBe(true);
    }
    for (const nao of [
      null,
      '',
      '   ',
      'Processo de TESTE',
      'Testes de carga',
      'TESTEMUNHO de servidor',
      'Ofício nº 12 – TESTE',
      'ATESTE',
    ]) {
      expect(descricaoDeTeste(nao), String(nao)).toBe(false);
    }
  });

  test('a requirement is satisfied when PEN confirmed it or a trâmite met it; a registration alone awaits PEN', () => {
    expect([...REQUISITO_SATISFEITO].sort()).toEqual(['ATENDIDO_AUTOMATICAMENTE', 'CONFIRMADO']);
  });
});

describe('the minimum requirements as data (the migration)', () => {
  const pasta = join(import.meta.dirname, '..', 'drizzle');
  const migracao = readdirSync(pasta).find((d) => d.endsWith('_requisitos_minimos'));
  const texto = readFileSync(join(pasta, migracao!, 'migration.sql'), 'utf8');
  const linhas = [...texto.matchAll(/\('([a-z])',\s*(\d+),\s*'((?:[^']|'')*)',\s*'([A-Z_]+)',\s*(true|false)\)/g)].map((m) => ({
    codigo: m[1]!,
    ordem: Number(m[2]),
    tipo: m[4]!,
    exigido: m[5] === 'true',
  }));

  test('(a)-(c) the three trâmite tests, (d)-(i) the six configuration items, all required, in order', () => {
    expect(linhas).toEqual([
      { codigo: 'a', ordem: 1, tipo: 'TRAMITE_ENVIADO_COM_SUCESSO', exigido: true },
      { codigo: 'b', ordem: 2, tipo: 'TRAMITE_RECEBIDO_COM_SUCESSO', exigido: true },
      { codigo: 'c', ordem: 3, tipo: 'RECUSA_COMO_DESTINATARIO', exigido: true },
      ...['d', 'e', 'f', 'g', 'h', 'i'].map((codigo, i) => ({ codigo, ordem: i + 4, tipo: 'CONFIGURACAO', exigido: true })),
    ]);
  });

  test("today's list (a later data migration): (d)-(i) kept but no longer required", () => {
    const dados = readdirSync(pasta).find((d) => d.endsWith('_requisitos_d_a_i_nao_exigidos'));
    const sql = readFileSync(join(pasta, dados!, 'migration.sql'), 'utf8');
    const m = /UPDATE "requisitos_minimos" SET "exigido" = false WHERE "codigo" IN \(([^)]*)\)/.exec(sql);
    expect(m?.[1]?.match(/[a-z]/g)).toEqual(['d', 'e', 'f', 'g', 'h', 'i']);
  });

  test('every trâmite test of the list is one that a trâmite can meet, and one trâmite type per test', () => {
    const atendiveis = new Set<string>();
    for (let s = 1; s <= 10; s++)
      for (const lado of ['REMETENTE', 'DESTINATARIO'] as const) atendiveis.add(requisitoAtendidoPorTramite(s, lado) ?? '');
    const testes = linhas.filter((l) => l.tipo !== 'CONFIGURACAO');
    for (const l of testes) expect(atendiveis.has(l.tipo), l.codigo).toBe(true);
    expect(new Set(testes.map((l) => l.tipo)).size).toBe(testes.length);
  });

  test('a configuration item: the agency registers (not once confirmed), PEN confirms a registered one and sends back a registered or confirmed one', () => {
    // Written out from the manual's checklist practice, independently of the function.
    const esperado: Record<string, Record<string, string>> = {
      REGISTRAR_REQUISITO: { PENDENTE: 'REGISTRADO', REGISTRADO: 'REGISTRADO', CONFIRMADO: 'recusa' },
      CONFIRMAR_REQUISITO: { PENDENTE: 'recusa', REGISTRADO: 'CONFIRMADO', CONFIRMADO: 'recusa' },
      RECUSAR_REQUISITO: { PENDENTE: 'recusa', REGISTRADO: 'PENDENTE', CONFIRMADO: 'PENDENTE' },
    };
    for (const [acao, porSituacao] of Object.entries(esperado)) {
      for (const [atual, proxima] of Object.entries(porSituacao)) {
        const r = proximaSituacaoRequisito(acao as Parameters<typeof proximaSituacaoRequisito>[0], atual === 'PENDENTE' ? null : atual);
        expect('recusa' in r ? 'recusa' : r.situacao, `${acao} from ${atual}`).toBe(proxima);
      }
    }
  });
});
