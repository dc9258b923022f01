// "Testes iniciados" and the institutional notice to the PEN team, on both backends: the gestor records
// it over HTTP, the notice enters the outbox in the same transaction, and the delivery worker sends it
// through nodemailer to a REAL SMTP server started here (smtp-server), exactly once — also when the
// server refuses the first sessions, and with two workers (two instances) racing for the same rows.
// Without an SMTP server the notice stays pending and PEN reads it in GraphQL.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../src/config.js';
import { transporteSmtp } from '../src/http/email.js';
import { entregarAvisos } from '../src/onboarding/avisos.js';
import { atrasoDeNovaTentativa } from '../src/onboarding/regras.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { gid } from './support/ids.js';
import { PEN_ADMIN } from './support/accounts.js';
import { servidorSmtp } from './support/smtp.js';

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  const config = loadConfig({});
  beforeAll(async () => {
    gw = await startTestGateway(backend);
  });
  afterAll(async () => {
    await gw?.close();
  });

  const MUTACAO = `mutation($orgao: ID!) { registrarTestesIniciados(input: { orgao: $orgao }) {
    __typename
    ... on OnboardingAtualizado { onboarding { testesIniciadosEm versao } evento { tipo etapa ambiente ator } }
    ... on Erro { codigo mensagem }
  } }`;
  const AVISOS = `query($orgao: ID) { onboarding(orgao: $orgao) { testesIniciadosEm avisosEmail { tipo para assunto messageId tentativas enviadoEm ultimoErro } } }`;

  async function goias() {
    const [go] = await gw.database.rows<{ id: number; nome: string; sigla: string }>(
      `select e.id::int as id, e.nome, e.sigla from estruturas e join onboardings o on o.orgao_id = e.id where e.sigla = 'GOV-GO'`,
    );
    return go!;
  }

  test('the gestor records the start of production tests: one event, one notice in the outbox, visible to PEN while no SMTP is set', async () => {
    const go = await goias();
    const pen = await gw.tokenOf(PEN_ADMIN);
    const gestor = await gw.tokenOf('gestora.juliana@go');
    const antes = await gw.database.rows('select count(*)::int as n from avisos_email');

    // Another agency's gestor acting for Goiás: coded, nothing written.
    const outro = await gw.ok(MUTACAO, { orgao: gid('Orgao', go.id) }, await gw.tokenOf('gestor.carlos@saude'));
    expect(outro.registrarTestesIniciados).toMatchObject({ __typename: 'ErroPapelNaoPermitido', codigo: 'PAPEL_NAO_PERMITIDO' });
    expect(await gw.database.rows('select count(*)::int as n from avisos_email')).toEqual(antes);

    const r = await gw.ok(MUTACAO, { orgao: gid('Orgao', go.id) }, gestor);
    expect(r.registrarTestesIniciados).toMatchObject({
      __typename: 'OnboardingAtualizado',
      evento: { tipo: 'TESTES_INICIADOS', etapa: 'ACESSO_PRODUCAO', ambiente: 'PRODUCAO', ator: 'gestora.juliana@go' },
    });
    expect(r.registrarTestesIniciados.onboarding.testesIniciadosEm).not.toBeNull();

    // Twice: coded, nothing more written.
    const de_novo = await gw.ok(MUTACAO, { orgao: gid('Orgao', go.id) }, gestor);
    expect(de_novo.registrarTestesIniciados).toMatchObject({ __typename: 'ErroTestesJaIniciados', codigo: 'TESTES_JA_INICIADOS' });

    const visto = (await gw.ok(AVISOS, { orgao: gid('Orgao', go.id) }, pen)).onboarding;
    expect(visto.avisosEmail).toEqual([
      {
        tipo: 'TESTES_INICIADOS',
        para: 'processo.eletronico@gestao.gov.br',
        assunto: `Tramita.GOV.BR – início dos testes em produção – ${go.sigla}`,
        messageId: expect.stringMatching(/^<aviso-[0-9a-f-]{36}@tramita-gateway>$/),
        tentativas: 0,
        enviadoEm: null,
        ultimoErro: null,
      },
    ]);
  });

  test('delivered exactly once through a real SMTP server that refuses the first two sessions, with two workers racing', async () => {
    const go = await goias();
    const pen = await gw.tokenOf(PEN_ADMIN);
    const smtp = await servidorSmtp(2);
    const transporte = transporteSmtp(smtp.url);
    try {
      const [aviso] = await gw.database.rows<{ message_id: string }>(`select message_id from avisos_email where orgao_id = $1`, [go.id]);
      const baseMs = 1000;
      let agora = Date.now();
      const rodada = () => entregarAvisos(gw.database.db, transporte, { agora: new Date(agora), de: config.avisos.de, baseMs });

      // Two refused sessions: two failures, each pushing the next try by the backoff.
      expect(await rodada()).toEqual({ enviados: 0, falhas: 1 });
      // Not yet due: nothing is tried.
      expect(await rodada()).toEqual({ enviados: 0, falhas: 0 });
      agora += atrasoDeNovaTentativa(1, baseMs);
      expect(await rodada()).toEqual({ enviados: 0, falhas: 1 });
      const falhou = (await gw.ok(AVISOS, { orgao: gid('Orgao', go.id) }, pen)).onboarding.avisosEmail[0];
      expect(falhou).toMatchObject({ tentativas: 2, enviadoEm: null, ultimoErro: expect.stringContaining('421') });

      // Due again: two workers (as two instances) run at once; one claims the row, the other skips it.
      agora += atrasoDeNovaTentativa(2, baseMs);
      const [a, b] = await Promise.all([rodada(), rodada()]);
      expect(a.enviados + b.enviados).toBe(1);
      expect(a.falhas + b.falhas).toBe(0);
      // Later runs send nothing more.
      agora += 60 * 60 * 1000;
      expect(await rodada()).toEqual({ enviados: 0, falhas: 0 });

      expect(smtp.recebidos).toHaveLength(1);
      expect(smtp.recebidos[0]).toMatchObject({ para: ['processo.eletronico@gestao.gov.br'], messageId: aviso!.message_id });
      expect(smtp.recebidos[0]!.texto).toMatch(/^Subject: .+/m);
      expect(smtp.recebidos[0]!.texto).toContain(go.sigla);
      expect(smtp.sessoes()).toBeGreaterThanOrEqual(3);
      const enviado = (await gw.ok(AVISOS, { orgao: gid('Orgao', go.id) }, pen)).onboarding.avisosEmail[0];
      expect(enviado).toMatchObject({ tentativas: 3, ultimoErro: null });
      expect(enviado.enviadoEm).not.toBeNull();
    } finally {
      transporte.fechar();
      await smtp.fechar();
    }
  });
});
