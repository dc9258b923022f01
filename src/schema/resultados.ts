/** The result-union vocabulary shared by every mutation: the `Erro` interface and validation errors. */
import { DadosInvalidos, type ErroDeNegocio, type Problema } from '../kernel/erros.js';
import { builder } from './builder.js';

export const ErroInterface = builder.interfaceRef<ErroDeNegocio>('Erro').implement({
  description: 'Resultado de uma ação que não foi feita. Nada foi alterado.',
  fields: (t) => ({
    mensagem: t.exposeString('message', { description: 'Explicação para pessoas (pt-BR).' }),
    codigo: t.exposeString('codigo', { description: 'Código estável para programas.' }),
    codigoPlataforma: t.string({
      nullable: true,
      description:
        'O `codigoErro` do Tramita.GOV.BR para a mesma recusa, quando a plataforma tem um (ex.: `0044`), para o integrador do SPE mapear um a um; nulo quando o erro é só do gateway.',
      resolve: (e) => e.codigoPlataforma,
    }),
  }),
});

const ProblemaRef = builder.objectRef<Problema>('ProblemaValidacao').implement({
  description: 'Um problema num campo da entrada.',
  fields: (t) => ({
    campo: t.exposeString('campo', { description: 'Campo da entrada.' }),
    mensagem: t.exposeString('mensagem', { description: 'O que está errado.' }),
  }),
});

builder.objectType(DadosInvalidos, {
  name: 'ErroValidacao',
  description: 'A entrada não passou na validação (zod).',
  interfaces: [ErroInterface],
  fields: (t) => ({
    problemas: t.field({ type: [ProblemaRef], description: 'Cada problema, com seu campo.', resolve: (e) => e.problemas }),
  }),
});
