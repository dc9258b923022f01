/** The centralising receiver on a trâmite (docs/domain.md §7.2): who receives on the destination's behalf. */
import { UnidadeAdministrativa } from '../../orgaos/graphql/orgao.js';
import { builder } from '../../schema/builder.js';
import { Tramite } from './tramite.js';

builder.drizzleObjectFields(Tramite, (t) => ({
  unidadeReceptora: t.relation('unidadeReceptora', {
    type: UnidadeAdministrativa,
    nullable: true,
    description:
      'A unidade centralizadora que recebe o trâmite em nome da unidade destinatária (`unidadeReceptora` da plataforma), gravada no início; nulo quando a própria destinatária recebe. A destinatária continua em `unidadeDestinataria`.',
  }),
}));
