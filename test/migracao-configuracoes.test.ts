// The data migration that moved units' modes and centralising links into one row per environment
// (drizzle/*_configuracoes_unidade), on both backends: a database migrated up to the migration before it, with units
// configured in the old columns, is migrated on; an agency without onboarding or past production access gets both
// environments' rows, one still in homologação homologação's only, an unconfigured unit none, and the logged changes
// their environment.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createDatabase, type DatabaseOptions } from '../src/db/client.js';
import { BACKENDS, freshDatabase } from './support/backends.js';

const PASTA = 'drizzle';
const MIGRACAO = readdirSync(PASTA).find((n) => n.endsWith('_configuracoes_unidade'))!;

describe.each(BACKENDS)('%s', (backend) => {
  const temporarias: string[] = [];
  afterAll(() => {
    for (const p of temporarias) rmSync(p, { recursive: true, force: true });
  });

  test('old columns become rows of the environments each agency keeps; logged changes get theirs', async () => {
    // The migrations before this one, in a folder of their own.
    const anteriores = mkdtempSync(join(tmpdir(), 'tramita-migracoes-'));
    temporarias.push(anteriores);
    for (const nome of readdirSync(PASTA).filter((n) => n < MIGRACAO))
      cpSync(join(PASTA, nome), join(anteriores, nome), { recursive: true });
    const fresca = await freshDatabase(backend);
    let options: DatabaseOptions = fresca.options;
    if (options.kind === 'pglite') {
      const dataDir = mkdtempSync(join(tmpdir(), 'tramita-pglite-'));
      temporarias.push(dataDir);
      options = { kind: 'pglite', dataDir };
    }
    try {
      const antigo = await createDatabase({ ...options, migrationsFolder: anteriores });
      try {
        const q = antigo.rows;
        // Three agencies of repositório 9 (outside SIORG): sem onboarding, em produção, em homologação; each with a unit
        // configured (the first also centralising another) and one unit with nothing configured.
        const ids: Record<string, number> = {};
        for (const [i, sigla] of ['SEMONB', 'EMPROD', 'EMHOMOL'].entries()) {
          const [r] = await q<{ id: number }>(
            `insert into estruturas (repositorio_id, numero_identificacao, sigla, nome) values (9, $1, $2, $2) returning id::int as id`,
            [9_100 + i, sigla],
          );
          await q('update estruturas set orgao_id = id where id = $1', [r!.id]);
          ids[sigla] = r!.id;
          const [u] = await q<{ id: number }>(
            `insert into estruturas (repositorio_id, numero_identificacao, sigla, nome, pai_id, orgao_id, habilitada_envio, habilitada_recebimento, centralizadora)
             values (9, $1, $2, $2, $3, $3, true, true, $4) returning id::int as id`,
            [9_200 + i, `${sigla}-P`, r!.id, i === 0],
          );
          ids[`${sigla}-P`] = u!.id;
          const [n] = await q<{ id: number }>(
            `insert into estruturas (repositorio_id, numero_identificacao, sigla, nome, pai_id, orgao_id) values (9, $1, $2, $2, $3, $3) returning id::int as id`,
            [9_300 + i, `${sigla}-N`, r!.id],
          );
          ids[`${sigla}-N`] = n!.id;
        }
        await q('update estruturas set centralizadora_id = $1, habilitada_envio = true where id = $2', [ids['SEMONB-P'], ids['SEMONB-N']]);
        await q(
          `insert into onboardings (orgao_id, etapa, iniciado_em, atualizado_em) values ($1, 'EM_PRODUCAO', now(), now()), ($2, 'IMPLANTACAO_HOMOLOGACAO', now(), now())`,
          [ids.EMPROD, ids.EMHOMOL],
        );
        await q(
          `insert into estrutura_eventos (estrutura_id, orgao_id, tipo, alteracao, ator_sujeito, ocorrido_em)
           values ($1, $2, 'MODO_TRAMITACAO', '{"antes":{},"depois":{}}', 'g', now()), ($3, $4, 'MODO_TRAMITACAO', '{"antes":{},"depois":{}}', 'g', now()),
                  ($3, $4, 'UNIDADE_CADASTRADA', '{"antes":{},"depois":{}}', 'g', now())`,
          [ids['EMHOMOL-P'], ids.EMHOMOL, ids['SEMONB-P'], ids.SEMONB],
        );
      } finally {
        await antigo.close();
      }

      const novo = await createDatabase(options);
      try {
        const linhas = await novo.rows<{
          sigla: string;
          ambiente: string;
          envio: boolean;
          recebimento: boolean;
          central: boolean;
          por: string | null;
        }>(
          `select e.sigla, c.ambiente::text as ambiente, c.habilitada_envio as envio, c.habilitada_recebimento as recebimento,
                  c.centralizadora as central, (select sigla from estruturas k where k.id = c.centralizadora_id) as por
             from configuracoes_unidade c join estruturas e on e.id = c.estrutura_id where e.repositorio_id = 9 and e.numero_identificacao between 9100 and 9400
            order by e.sigla, c.ambiente`,
        );
        const linha = (sigla: string, ambiente: string, central = false, por: string | null = null, recebimento = true) => ({
          sigla,
          ambiente,
          envio: true,
          recebimento,
          central,
          por,
        });
        expect(linhas).toEqual([
          linha('EMHOMOL-P', 'HOMOLOGACAO'),
          linha('EMPROD-P', 'HOMOLOGACAO'),
          linha('EMPROD-P', 'PRODUCAO'),
          linha('SEMONB-N', 'HOMOLOGACAO', false, 'SEMONB-P', false),
          linha('SEMONB-N', 'PRODUCAO', false, 'SEMONB-P', false),
          linha('SEMONB-P', 'HOMOLOGACAO', true),
          linha('SEMONB-P', 'PRODUCAO', true),
        ]);
        const eventos = await novo.rows<{ sigla: string; tipo: string; ambiente: string | null }>(
          `select e.sigla, ev.tipo, ev.ambiente::text as ambiente from estrutura_eventos ev join estruturas e on e.id = ev.estrutura_id
            where e.repositorio_id = 9 and e.numero_identificacao between 9100 and 9400 order by e.sigla, ev.tipo`,
        );
        // The agency with an onboarding configured in homologação; the one without, in the deployment's environment.
        expect(eventos).toEqual([
          { sigla: 'EMHOMOL-P', tipo: 'MODO_TRAMITACAO', ambiente: 'HOMOLOGACAO' },
          { sigla: 'SEMONB-P', tipo: 'MODO_TRAMITACAO', ambiente: 'PRODUCAO' },
          { sigla: 'SEMONB-P', tipo: 'UNIDADE_CADASTRADA', ambiente: null },
        ]);
        // The old columns are gone.
        const colunas = await novo.rows<{ c: string }>(
          `select column_name as c from information_schema.columns where table_name = 'estruturas' and column_name in ('habilitada_envio', 'habilitada_recebimento', 'centralizadora', 'centralizadora_id')`,
        );
        expect(colunas).toEqual([]);
      } finally {
        await novo.close();
      }
    } finally {
      await fresca.drop();
    }
  }, 120_000);
});
