// The access request as a client makes it: POST /onboarding/solicitacoes, one multipart body with the request's data
// (JSON, first) and the supporting PDF (src/http/solicitacoes.ts). There is no content-less mutation for it.
import type { TestGateway } from './gateway.js';

/** A small but well-formed PDF (one empty page). */
export const PDF_DE_TESTE = new TextEncoder().encode(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n' +
    '3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
);

export interface RespostaSolicitacao {
  status: number;
  body: Record<string, any>;
}

/** Posts an access request (`dados` as JSON, or as given when a string) with `documento` as its PDF part (none if null). */
export async function solicitarAcesso(
  gw: Pick<TestGateway, 'gateway'>,
  dados: unknown,
  documento: Uint8Array | null,
  token: string,
  nome = 'termo-de-adesao.pdf',
): Promise<RespostaSolicitacao> {
  const form = new FormData();
  form.append('dados', typeof dados === 'string' ? dados : JSON.stringify(dados));
  if (documento) form.append('documento', new Blob([Buffer.from(documento)], { type: 'application/pdf' }), nome);
  const res = await fetch(gw.gateway.url.replace(/\/graphql$/, '/onboarding/solicitacoes'), {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/**
 * A request for an agency already registered (its root, as a SIORG agency chooses it), served by an SPE already
 * registered, with its first gestor de protocolo.
 */
export function solicitacaoDoOrgao(
  orgao: { repositorio: number; estrutura: number },
  gestor: { nome: string; cpf: string; email: string },
  sistema = 'super.dataprev.gov.br',
) {
  return { orgao, sistema: { codigo: sistema }, gestor };
}
