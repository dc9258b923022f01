// Process identity and custody over HTTP, on both backends: each case observed against the platform's
// rules (docs/domain.md §2) as a regression test. Expectations come from regras.ts and SQL.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mintToken } from '../src/identity/tokens.js';
import { PASSO_POR_ACAO, type Acao } from '../src/tramites/regras.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from './support/gateway.js';
import { gid } from './support/ids.js';
import { CONTEUDO_DE_DEMO_GQL, passoComConteudo } from './support/tramites.js';
import { habilitada } from './support/configuracao.js';

interface Agencia {
  id: number;
  sigla: string;
  /** Its SPE's token (protocol steps). */
  token: string;
  /** Its gestor de protocolo's token. */
  gestor: string;
  envio: number;
  recebimento: number;
}

const RESULTADO = `__typename
  ... on TransicaoRealizada { tramite { id nre codigoSituacao } }
  ... on Erro { codigo codigoPlataforma mensagem }
  ... on ErroProcessoEmAndamento { nre }
  ... on ErroNreInconsistente { nre numeroProcesso }
  ... on ErroProcessoNaoDetido { numeroProcesso }`;

const SELECAO_PASSO = { sucesso: 'tramite { id nre codigoSituacao }', erro: 'codigo codigoPlataforma mensagem' };

const PROCESSO = `processo { tipo numeroProcesso nre bloqueado
  detentor { orgao { id sigla } unidade { id } }
  tramites { id nre codigoSituacao orgaoRemetente { id } orgaoDestinatario { id } } }`;

type AcaoPasso = Exclude<Acao, 'INICIAR' | 'CANCELAR_AUTOMATICAMENTE'>;

describe.each(BACKENDS)('%s', (backend) => {
  let app: TestGateway;
  let a: Agencia;
  let b: Agencia;
  let c: Agencia;
  let agencias: Agencia[];
  let penAdmin: string;
  let seq = 0;
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => app.database.rows<T>(sql, params);
  const novoNumero = () => `${backend}-custodia-${Date.now()}-${++seq}`;

  beforeAll(async () => {
    app = await startTestGateway(backend);
    // Three agencies with units enabled to send and to receive, each acting through its SPE.
    const raizes = await rows<{ id: number; sigla: string; repositorio: number; numero: number; envio: number; recebimento: number }>(
      `select r.id::int, r.sigla, r.repositorio_id::int as repositorio, r.numero_identificacao::int as numero,
              (select min(u.id)::int from estruturas u where u.orgao_id = r.id and u.pai_id is not null and ${habilitada('u', 'envio')} and ${habilitada('u', 'recebimento')}) as envio,
              (select max(u.id)::int from estruturas u where u.orgao_id = r.id and u.pai_id is not null and ${habilitada('u', 'envio')} and ${habilitada('u', 'recebimento')}) as recebimento
         from estruturas r where r.pai_id is null order by r.id`,
    );
    const aptas = raizes.filter((r) => r.envio != null);
    if (aptas.length < 3) throw new Error('the demo seed needs three agencies with units enabled to send and receive');
    agencias = await Promise.all(
      aptas.slice(0, 3).map(async (r) => ({
        id: r.id,
        sigla: r.sigla,
        envio: r.envio,
        recebimento: r.recebimento,
        gestor: await mintToken(TEST_JWT_SECRET, {
          sub: `gestor@${r.sigla}`,
          orgao: { repositorio: r.repositorio, estrutura: r.numero },
          roles: ['GESTOR_PROTOCOLO'],
        }),
        token: await mintToken(TEST_JWT_SECRET, {
          sub: `spe:${r.sigla}`,
          orgao: { repositorio: r.repositorio, estrutura: r.numero },
          roles: ['SPE'],
        }),
      })),
    );
    [a, b, c] = agencias as [Agencia, Agencia, Agencia];
    penAdmin = await mintToken(TEST_JWT_SECRET, { sub: 'pen.admin', orgao: null, roles: ['PEN_ADMIN'] });
  });

  afterAll(async () => {
    await app?.close();
  });

  async function iniciar(de: Agencia, para: Agencia, input: Record<string, unknown>, token = de.token) {
    const data = await app.ok(
      `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) { ${RESULTADO} } }`,
      {
        input: {
          tipo: 'PROCESSO',
          unidadeRemetente: gid('UnidadeAdministrativa', de.envio),
          unidadeDestinataria: gid('UnidadeAdministrativa', para.recebimento),
          ...CONTEUDO_DE_DEMO_GQL,
          ...input,
        },
      },
      token,
    );
    return data.r as Record<string, any>;
  }

  async function tentar(acao: AcaoPasso, tramiteId: string, token: string, justificativa?: string) {
    const extra =
      acao === 'RECUSAR'
        ? { motivo: 'MOTIVO_99', justificativa: 'Unidade não configurada.' }
        : acao === 'CANCELAR' && justificativa
          ? { justificativa }
          : {};
    // Each step as its SPE takes it: the upload, the hashes, the signed receipt, the bare step otherwise.
    const res = await passoComConteudo(app.gateway.url, acao, tramiteId, token, SELECAO_PASSO, extra);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data.r as Record<string, any>;
  }

  async function passo(acao: AcaoPasso, tramiteId: string, quem: Agencia) {
    const r = await tentar(acao, tramiteId, quem.token);
    expect(r.__typename, `${acao}: ${JSON.stringify(r)}`).toBe('TransicaoRealizada');
    expect(r.tramite.codigoSituacao).toBe(PASSO_POR_ACAO[acao].para);
  }

  /** A trâmite from `de` to `para` driven to 6 (success). */
  async function concluir(tramiteId: string, de: Agencia, para: Agencia) {
    await passo('ENVIAR_COMPONENTES_DIGITAIS', tramiteId, de);
    await passo('RECEBER_METADADOS', tramiteId, para);
    await passo('RECEBER_COMPONENTES_DIGITAIS', tramiteId, para);
    await passo('ENVIAR_RECIBO_CONCLUSAO', tramiteId, para);
    await passo('RECEBER_RECIBO_CONCLUSAO', tramiteId, de);
  }

  async function enviado(de: Agencia, para: Agencia, input: Record<string, unknown>) {
    const r = await iniciar(de, para, input);
    expect(r.__typename, JSON.stringify(r)).toBe('TransicaoRealizada');
    return r.tramite as { id: string; nre: string };
  }

  async function processo(args: { nre: string } | { numeroProcesso: string }, quem: Agencia) {
    const data = await app.ok(
      `query($nre: String, $numeroProcesso: String) { ${PROCESSO.replace('processo', 'processo(nre: $nre, numeroProcesso: $numeroProcesso)')} }`,
      args,
      quem.token,
    );
    return data.processo as Record<string, any> | null;
  }

  const contar = async () =>
    (
      await rows<{ t: number; e: number }>(
        'select (select count(*)::int from tramites) as t, (select count(*)::int from tramite_eventos) as e',
      )
    )[0]!;

  test('observed: an agency that never held a process names its NRE under another number, as a documento avulso: ErroNreInconsistente, nothing written', async () => {
    const numeroProcesso = novoNumero();
    const t1 = await enviado(a, b, { numeroProcesso });
    const antes = await contar();
    for (const tipo of ['DOCUMENTO_AVULSO', 'PROCESSO']) {
      const r = await iniciar(c, b, { tipo, numeroProcesso: novoNumero(), nre: t1.nre });
      expect(r, JSON.stringify(r)).toMatchObject({
        __typename: 'ErroNreInconsistente',
        codigo: 'NRE_INCONSISTENTE',
        codigoPlataforma: null,
        nre: t1.nre,
      });
      expect(r.mensagem).toContain('Inconsistência no número de protocolo do processo tramitado por este NRE');
    }
    // An NRE the platform never issued is no process's either.
    const inventado = await iniciar(c, b, { numeroProcesso: novoNumero(), nre: '0000000000000001' });
    expect(inventado.__typename).toBe('ErroNreInconsistente');
    expect(await contar()).toEqual(antes);
  });

  test('observed: the same process number without an NRE while its first trâmite is open: 0044 (codigoPlataforma), not a second NRE', async () => {
    const numeroProcesso = novoNumero();
    const t1 = await enviado(a, b, { numeroProcesso });
    const antes = await contar();
    const r = await iniciar(a, c, { numeroProcesso });
    expect(r).toMatchObject({
      __typename: 'ErroProcessoEmAndamento',
      codigo: 'PROCESSO_EM_ANDAMENTO',
      codigoPlataforma: '0044',
      nre: t1.nre,
    });
    expect(await contar()).toEqual(antes);
    const [{ nres }] = (await rows<{ nres: number }>('select count(distinct nre)::int as nres from tramites where numero_processo = $1', [
      numeroProcesso,
    ])) as [{ nres: number }];
    expect(nres).toBe(1);
  });

  test('concurrent starts of one new process: exactly one trâmite, the others 0044', async () => {
    const numeroProcesso = novoNumero();
    const resultados = await Promise.all(Array.from({ length: 6 }, () => iniciar(a, b, { numeroProcesso })));
    const tipos = resultados.map((r) => r.__typename).sort();
    expect(tipos.filter((t) => t === 'TransicaoRealizada')).toHaveLength(1);
    expect(tipos.filter((t) => t === 'ErroProcessoEmAndamento')).toHaveLength(5);
    const [{ n }] = (await rows<{ n: number }>('select count(*)::int as n from tramites where numero_processo = $1', [numeroProcesso])) as [
      { n: number },
    ];
    expect(n).toBe(1);
  });

  test('observed: after A delivered to B (6), A may not send it again; B, the holder, sends it on under the same NRE', async () => {
    const numeroProcesso = novoNumero();
    const t1 = await enviado(a, b, { numeroProcesso });
    expect(await processo({ numeroProcesso }, a)).toMatchObject({
      bloqueado: true,
      detentor: { orgao: { id: gid('Orgao', a.id) } },
      nre: null,
    });
    await concluir(t1.id, a, b);
    expect(await processo({ numeroProcesso }, b)).toMatchObject({
      tipo: 'PROCESSO',
      numeroProcesso,
      nre: t1.nre,
      bloqueado: false,
      detentor: { orgao: { id: gid('Orgao', b.id), sigla: b.sigla }, unidade: { id: gid('UnidadeAdministrativa', b.recebimento) } },
    });

    const antes = await contar();
    for (const pedido of [{ numeroProcesso }, { numeroProcesso, nre: t1.nre }]) {
      const r = await iniciar(a, c, pedido);
      expect(r, JSON.stringify(r)).toMatchObject({ __typename: 'ErroProcessoNaoDetido', codigo: 'PROCESSO_NAO_DETIDO', numeroProcesso });
    }
    expect(await contar()).toEqual(antes);

    // The holder sends it on without naming the NRE: the platform recovers it.
    const t2 = await enviado(b, c, { numeroProcesso });
    expect(t2.nre).toBe(t1.nre);
    // Blocked at the holder while open: the holder itself gets 0044; the others are not the holder.
    expect(await iniciar(b, a, { numeroProcesso })).toMatchObject({
      __typename: 'ErroProcessoEmAndamento',
      codigoPlataforma: '0044',
      nre: t1.nre,
    });
    expect(await iniciar(c, a, { numeroProcesso })).toMatchObject({ __typename: 'ErroProcessoNaoDetido' });
    await concluir(t2.id, b, c);

    const porNre = await processo({ nre: t1.nre }, c);
    expect(porNre).toEqual(await processo({ numeroProcesso }, c));
    expect(porNre).toMatchObject({ nre: t1.nre, bloqueado: false, detentor: { orgao: { id: gid('Orgao', c.id) } } });
    // Each agency reads the process's trâmites it is a party to: B both, C and A one each.
    const ids = async (quem: Agencia) => (await processo({ numeroProcesso }, quem))!.tramites.map((t: { id: string }) => t.id);
    expect(await ids(b)).toEqual([t1.id, t2.id]);
    expect(await ids(c)).toEqual([t2.id]);
    expect(await ids(a)).toEqual([t1.id]);
  });

  test('a refusal or a cancellation leaves the process with its sender', async () => {
    const numeroProcesso = novoNumero();
    const t1 = await enviado(a, b, { numeroProcesso });
    await passo('ENVIAR_COMPONENTES_DIGITAIS', t1.id, a);
    await passo('RECEBER_METADADOS', t1.id, b);
    await passo('RECUSAR', t1.id, b);
    await passo('DAR_CIENCIA_RECUSA', t1.id, a);
    expect(await processo({ numeroProcesso }, a)).toMatchObject({ bloqueado: false, detentor: { orgao: { id: gid('Orgao', a.id) } } });
    expect(await iniciar(b, c, { numeroProcesso })).toMatchObject({ __typename: 'ErroProcessoNaoDetido' });
    const t2 = await enviado(a, c, { numeroProcesso });
    await passo('CANCELAR', t2.id, a);
    expect(await processo({ numeroProcesso }, a)).toMatchObject({ bloqueado: false, detentor: { orgao: { id: gid('Orgao', a.id) } } });
    expect(await iniciar(c, b, { numeroProcesso })).toMatchObject({ __typename: 'ErroProcessoNaoDetido' });
  });

  test('a documento avulso always gets a new NRE and blocks nothing', async () => {
    const numeroProcesso = novoNumero();
    const d1 = await enviado(a, b, { tipo: 'DOCUMENTO_AVULSO', numeroProcesso });
    const d2 = await enviado(a, b, { tipo: 'DOCUMENTO_AVULSO', numeroProcesso });
    expect(d1.nre).not.toBe(d2.nre);
    expect(await processo({ nre: d1.nre }, a)).toMatchObject({
      tipo: 'DOCUMENTO_AVULSO',
      nre: d1.nre,
      bloqueado: true,
      tramites: [{ id: d1.id }],
    });
  });

  test('processo: null for a viewer who sees none of its trâmites and for one that never travelled; exactly one argument', async () => {
    const numeroProcesso = novoNumero();
    const t1 = await enviado(a, b, { numeroProcesso });
    expect(await processo({ numeroProcesso }, c)).toBeNull();
    expect(await processo({ nre: t1.nre }, c)).toBeNull();
    expect(await processo({ numeroProcesso: novoNumero() }, a)).toBeNull();
    for (const variables of [{}, { nre: t1.nre, numeroProcesso }]) {
      const res = await app.gql(
        'query($nre: String, $numeroProcesso: String) { processo(nre: $nre, numeroProcesso: $numeroProcesso) { nre } }',
        variables,
        a.token,
      );
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  // ---- the generated matrix: role × step × custody state ------------------------------------------

  /**
   * docs/domain.md §2 and §5, written out here independently of regras.ts. Starting: only an SPE
   * starts; it needs the process free and held by its agency. Steps: an SPE takes its side's; the
   * remetente's gestor only cancels; PEN_ADMIN only cancels (on request, with the reason); a
   * destinatário after a refusal no longer sees the trâmite.
   */
  type Custodia = 'NUNCA_TRAMITOU' | 'DETIDO_LIVRE' | 'DETIDO_BLOQUEADO' | 'COM_OUTRO_ORGAO';
  const CUSTODIAS: Custodia[] = ['NUNCA_TRAMITOU', 'DETIDO_LIVRE', 'DETIDO_BLOQUEADO', 'COM_OUTRO_ORGAO'];
  type Papel = 'SPE' | 'GESTOR_PROTOCOLO' | 'PEN_ADMIN';
  const PAPEIS: Papel[] = ['SPE', 'GESTOR_PROTOCOLO', 'PEN_ADMIN'];

  function inicioEsperado(papel: Papel, custodia: Custodia): string {
    if (papel !== 'SPE') return 'ErroPapelSemPermissao';
    if (custodia === 'DETIDO_BLOQUEADO') return 'ErroProcessoEmAndamento';
    if (custodia === 'COM_OUTRO_ORGAO') return 'ErroProcessoNaoDetido';
    return 'TransicaoRealizada';
  }

  /** A process number in the given custody state, as seen by agency `a`. */
  async function processoEm(custodia: Custodia): Promise<string> {
    const numeroProcesso = novoNumero();
    if (custodia === 'NUNCA_TRAMITOU') return numeroProcesso;
    if (custodia === 'COM_OUTRO_ORGAO') {
      await enviado(b, c, { numeroProcesso });
      return numeroProcesso;
    }
    const t = await enviado(b, a, { numeroProcesso });
    await concluir(t.id, b, a);
    if (custodia === 'DETIDO_BLOQUEADO') await enviado(a, c, { numeroProcesso });
    return numeroProcesso;
  }

  test.each(PAPEIS)('%s × iniciarTramite × each custody state: the rules’ answer, nothing written when refused', async (papel) => {
    for (const custodia of CUSTODIAS) {
      const numeroProcesso = await processoEm(custodia);
      const token = papel === 'SPE' ? a.token : papel === 'GESTOR_PROTOCOLO' ? a.gestor : penAdmin;
      const antes = await contar();
      const r = await iniciar(a, b, { numeroProcesso }, token);
      expect(r.__typename, `${papel} × ${custodia}: ${JSON.stringify(r)}`).toBe(inicioEsperado(papel, custodia));
      if (r.__typename === 'ErroPapelSemPermissao') expect(r.codigo).toBe('PAPEL_SEM_PERMISSAO');
      if (r.__typename !== 'TransicaoRealizada') expect(await contar()).toEqual(antes);
    }
  });

  /** Steps from 1 to each status reachable by mutations (10 is the platform's: final like 7). */
  const CAMINHO: Record<number, AcaoPasso[]> = {
    1: [],
    2: ['ENVIAR_COMPONENTES_DIGITAIS'],
    3: ['ENVIAR_COMPONENTES_DIGITAIS', 'RECEBER_METADADOS'],
    4: ['ENVIAR_COMPONENTES_DIGITAIS', 'RECEBER_METADADOS', 'RECEBER_COMPONENTES_DIGITAIS'],
    5: ['ENVIAR_COMPONENTES_DIGITAIS', 'RECEBER_METADADOS', 'RECEBER_COMPONENTES_DIGITAIS', 'ENVIAR_RECIBO_CONCLUSAO'],
    6: [
      'ENVIAR_COMPONENTES_DIGITAIS',
      'RECEBER_METADADOS',
      'RECEBER_COMPONENTES_DIGITAIS',
      'ENVIAR_RECIBO_CONCLUSAO',
      'RECEBER_RECIBO_CONCLUSAO',
    ],
    7: ['CANCELAR'],
    8: ['ENVIAR_COMPONENTES_DIGITAIS', 'RECEBER_METADADOS', 'RECUSAR'],
    9: ['ENVIAR_COMPONENTES_DIGITAIS', 'RECEBER_METADADOS', 'RECUSAR', 'DAR_CIENCIA_RECUSA'],
  };
  const LADO: Record<AcaoPasso, 'REMETENTE' | 'DESTINATARIO'> = {
    ENVIAR_COMPONENTES_DIGITAIS: 'REMETENTE',
    RECEBER_METADADOS: 'DESTINATARIO',
    RECEBER_COMPONENTES_DIGITAIS: 'DESTINATARIO',
    ENVIAR_RECIBO_CONCLUSAO: 'DESTINATARIO',
    RECEBER_RECIBO_CONCLUSAO: 'REMETENTE',
    CANCELAR: 'REMETENTE',
    RECUSAR: 'DESTINATARIO',
    DAR_CIENCIA_RECUSA: 'REMETENTE',
  };
  const ACOES = Object.keys(LADO) as AcaoPasso[];
  const DE: Record<AcaoPasso, number[]> = {
    ENVIAR_COMPONENTES_DIGITAIS: [1],
    RECEBER_METADADOS: [2],
    RECEBER_COMPONENTES_DIGITAIS: [3],
    ENVIAR_RECIBO_CONCLUSAO: [4],
    RECEBER_RECIBO_CONCLUSAO: [5],
    CANCELAR: [1, 2, 3, 4],
    RECUSAR: [3, 4],
    DAR_CIENCIA_RECUSA: [8],
  };

  type Quem = 'GESTOR_REMETENTE' | 'GESTOR_DESTINATARIO' | 'PEN_ADMIN';
  function passoEsperado(quem: Quem, acao: AcaoPasso, situacao: number): string {
    if (quem === 'GESTOR_DESTINATARIO' && [8, 9].includes(situacao)) return 'ErroTramiteNaoEncontrado';
    const podeCancelar = quem !== 'GESTOR_DESTINATARIO';
    if (quem === 'GESTOR_DESTINATARIO' && LADO[acao] === 'REMETENTE') return 'ErroAcaoNaoPermitida';
    if (quem === 'GESTOR_REMETENTE' && LADO[acao] === 'DESTINATARIO') return 'ErroAcaoNaoPermitida';
    if (acao !== 'CANCELAR' || !podeCancelar) return 'ErroPapelSemPermissao';
    return DE[acao].includes(situacao) ? 'TransicaoRealizada' : 'ErroTransicaoInvalida';
  }

  test('gestor (both sides) and PEN_ADMIN × each step × each status: the rules’ answer; acoesPermitidas agrees; refused = nothing written', async () => {
    const tokens: Record<Quem, string> = { GESTOR_REMETENTE: a.gestor, GESTOR_DESTINATARIO: b.gestor, PEN_ADMIN: penAdmin };
    let feitos = 0;
    for (const [situacao, caminho] of Object.entries(CAMINHO).map(([k, v]) => [Number(k), v] as const)) {
      for (const quem of Object.keys(tokens) as Quem[]) {
        const t = await enviado(a, b, { numeroProcesso: novoNumero() });
        for (const acao of caminho) await passo(acao, t.id, LADO[acao] === 'REMETENTE' ? a : b);
        const lidas = await app.ok('query($id: ID!) { tramite(id: $id) { acoesPermitidas } }', { id: t.id }, tokens[quem]);
        const permitidas = ACOES.filter((acao) => passoEsperado(quem, acao, situacao) === 'TransicaoRealizada');
        expect(lidas.tramite?.acoesPermitidas ?? [], `${quem} at ${situacao}`).toEqual(expect.arrayContaining(permitidas));
        expect((lidas.tramite?.acoesPermitidas ?? []).length, `${quem} at ${situacao}`).toBe(permitidas.length);
        for (const acao of ACOES.filter((x) => !permitidas.includes(x))) {
          const antes = await contar();
          const r = await tentar(acao, t.id, tokens[quem], 'Pedido do órgão remetente, chamado 123.');
          expect(r.__typename, `${quem} × ${acao} at ${situacao}: ${JSON.stringify(r)}`).toBe(passoEsperado(quem, acao, situacao));
          expect(await contar()).toEqual(antes);
          feitos++;
        }
        // The allowed one (a cancellation) succeeds, last.
        for (const acao of permitidas) {
          const r = await tentar(acao, t.id, tokens[quem], 'Pedido do órgão remetente, chamado 123.');
          expect(r.__typename, `${quem} × ${acao} at ${situacao}: ${JSON.stringify(r)}`).toBe('TransicaoRealizada');
        }
      }
    }
    expect(feitos).toBeGreaterThan(100);
  });

  test('PEN_ADMIN cancels on request only with the request’s reason, recorded as the platform by PEN staff; a gestor’s cancel is the remetente’s', async () => {
    const t = await enviado(a, b, { numeroProcesso: novoNumero() });
    const antes = await contar();
    const semMotivo = await tentar('CANCELAR', t.id, penAdmin);
    expect(semMotivo).toMatchObject({ __typename: 'ErroValidacao', codigo: 'DADOS_INVALIDOS' });
    expect(await contar()).toEqual(antes);
    expect(await tentar('CANCELAR', t.id, penAdmin, 'Pedido do MGI por e-mail, chamado 4521.')).toMatchObject({
      __typename: 'TransicaoRealizada',
    });
    const [ev] = await rows<{ ator_lado: string; ator_pen_admin: boolean; ator_orgao_id: number | null; justificativa: string }>(
      'select ator_lado, ator_pen_admin, ator_orgao_id, justificativa from tramite_eventos where tramite_id = $1 and para_situacao = 7',
      [Number(Buffer.from(t.id, 'base64').toString().split(':')[1])],
    );
    expect(ev).toEqual({
      ator_lado: 'PLATAFORMA',
      ator_pen_admin: true,
      ator_orgao_id: null,
      justificativa: 'Pedido do MGI por e-mail, chamado 4521.',
    });

    const t2 = await enviado(a, b, { numeroProcesso: novoNumero() });
    expect(await tentar('CANCELAR', t2.id, a.gestor)).toMatchObject({ __typename: 'TransicaoRealizada' });
    const [ev2] = await rows<{ ator_lado: string; ator_pen_admin: boolean }>(
      'select ator_lado, ator_pen_admin from tramite_eventos where tramite_id = $1 and para_situacao = 7',
      [Number(Buffer.from(t2.id, 'base64').toString().split(':')[1])],
    );
    expect(ev2).toEqual({ ator_lado: 'REMETENTE', ator_pen_admin: false });
  });
});
