// The test helper that drives a trâmite with a real document to any status (test/support/tramites.ts),
// checked against what each status implies about what the trâmite carries: from 2 on every component is
// held by the platform with the recibo de envio, from 5 on the recibo de conclusão is stored and verifies
// offline against the key it names; 7 and 9 are reached by their own steps. Both backends.
import { verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SITUACAO_INFO, type Situacao } from '../src/tramites/regras.js';
import { BACKENDS } from './support/backends.js';
import { tresOrgaos, type Lados } from './support/componentes.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { conduzirTramite } from './support/tramites.js';

const TRAMITE = `query($id: ID!) { node(id: $id) { ... on Tramite {
  codigoSituacao
  historico { situacao }
  documentos { componentes { hash tamanhoEmBytes recebidoPelaPlataforma } }
  reciboDeEnvio { hashesDosComponentesDigitais }
  reciboDeConclusao { textoAssinado hashDaAssinatura chavePublicaPem }
} } }`;

const ALVOS: Exclude<Situacao, 10>[] = [1, 2, 3, 4, 5, 6, 7, 8, 9];

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let l: Lados;
  beforeAll(async () => {
    gw = await startTestGateway(backend);
    l = await tresOrgaos(gw);
  });
  afterAll(() => gw?.close());

  test.each(ALVOS)('to status %i, with what that status implies', async (situacao) => {
    const t = await conduzirTramite(gw, l, situacao);
    const { node } = await gw.ok(TRAMITE, { id: t.id }, l.rem.token);
    expect(node.codigoSituacao).toBe(situacao);
    expect(node.historico.at(-1).situacao).toBe(SITUACAO_INFO[situacao].chave);
    const componentes = node.documentos.flatMap((d: { componentes: unknown[] }) => d.componentes);
    expect(componentes).toEqual([
      { hash: t.arquivo.hash, tamanhoEmBytes: t.arquivo.bytes.length, recebidoPelaPlataforma: situacao !== 1 && situacao !== 7 },
    ]);
    const passouPor2 = ![1, 7].includes(situacao);
    expect(node.reciboDeEnvio?.hashesDosComponentesDigitais ?? null).toEqual(passouPor2 ? [t.arquivo.hash] : null);
    if (situacao === 5 || situacao === 6) {
      const r = node.reciboDeConclusao;
      expect(r.textoAssinado).toContain(`<hashDoComponenteDigital>${t.arquivo.hash}</hashDoComponenteDigital>`);
      expect(verify('sha256', Buffer.from(r.textoAssinado), r.chavePublicaPem, Buffer.from(r.hashDaAssinatura, 'base64'))).toBe(true);
    } else {
      expect(node.reciboDeConclusao).toBeNull();
    }
  });
});
