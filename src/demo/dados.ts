/**
 * The demo's world as plain typed data: repositories, agencies with their unit trees, people and
 * systems, subjects and document kinds. The planners (seed.ts, onboarding.ts) turn it into trâmites and
 * onboardings with the domain's own rules; nothing here is code that decides.
 *
 * Repository ids are production's (seeded by migration); "números de identificação" (SIORG-like) and NUP prefixes are illustrative, not the
 * official codes. Names and siglas follow the real agencies' structures.
 */
import type { Etapa } from '../onboarding/regras.js';
import { DEMO_UNIDADE_TESTES_PRODUCAO } from './contas.js';

export const REPO_EXECUTIVO = 1;
export const REPO_JUDICIARIO = 4;
export const REPO_TRIBUNAIS_CONTAS = 8;
export const REPO_JUSTICA_DO_TRABALHO = 12;
/** States without a repository of their own in production (only MG, PE and SP have one) stand in "Estruturas em Transição". */
export const REPO_ESTADOS = 11;

export const NUM_MGI = 115_826;
export const NUM_MS = 304;
export const NUM_MEC = 244;
export const NUM_MF = 1_929;
export const NUM_INSS = 1_934;
export const NUM_IBAMA = 1_989;
export const NUM_ANVISA = 48_136;
export const NUM_INCRA = 1_912;
export const NUM_TRF1 = 10_101;
export const NUM_TCU = 5_001;
export const NUM_GO = 52;

// ---------------------------------------------------------------------------------------------------
// Structures
// ---------------------------------------------------------------------------------------------------

/** ER: send and receive; E: send only; R: receive only; '-': not enabled. */
export type Habilitacao = 'ER' | 'E' | 'R' | '-';

export interface UnidadeDef {
  sigla: string;
  nome: string;
  hab: Habilitacao;
  central?: boolean;
  numero?: number;
  filhas: UnidadeDef[];
}

export interface OrgaoDef {
  repositorio: number;
  numero: number;
  sigla: string;
  nome: string;
  /** First five digits of the NUPs this agency issues. */
  nup: string;
  spe: string;
  gestores: string[];
  /** Relative traffic. */
  peso: number;
  /** Days before `now` the agency was registered on the platform. */
  cadastradoHaDias: number;
  assuntos: string[];
  unidades: UnidadeDef[];
}

const u = (sigla: string, nome: string, hab: Habilitacao, filhas: UnidadeDef[] = [], extra: Partial<UnidadeDef> = {}): UnidadeDef => ({
  sigla,
  nome,
  hab,
  filhas,
  ...extra,
});
const central = { central: true } as const;

export const ORGAOS: OrgaoDef[] = [
  {
    repositorio: REPO_EXECUTIVO,
    numero: NUM_MGI,
    sigla: 'MGI',
    nome: 'Ministério da Gestão e da Inovação em Serviços Públicos',
    nup: '19975',
    spe: 'spe:sei.mgi.gov.br',
    gestores: ['gestor.ana@mgi', 'gestor.ricardo@mgi'],
    peso: 9,
    cadastradoHaDias: 880,
    assuntos: [
      'Solicitação de cessão de servidor',
      'Requisição de servidor para compor força de trabalho',
      'Cessão de uso de imóvel da União',
      'Consulta sobre aplicação da Lei nº 14.133/2021',
      'Atualização da estrutura regimental no SIORG',
      'Compensação previdenciária – servidores de órgãos extintos',
    ],
    unidades: [
      u('SE', 'Secretaria-Executiva', '-', [
        u('CGDOC', 'Coordenação-Geral de Documentação e Informação', 'R', [
          u('DISIS', 'Divisão de Gestão de Sistemas de Documentação e Informação', 'ER', [], {
            numero: DEMO_UNIDADE_TESTES_PRODUCAO.estrutura,
          }),
          u('DIPRO', 'Divisão de Protocolo', 'ER', [], central),
        ]),
        u('DTI', 'Diretoria de Tecnologia da Informação', '-'),
      ]),
      u('SGP', 'Secretaria de Gestão de Pessoas', '-', [
        u('DECIPEX', 'Departamento de Centralização de Serviços de Inativos, Pensionistas e Órgãos Extintos', 'ER'),
        u('DEMOV', 'Departamento de Provimento e Movimentação de Pessoal', 'ER'),
      ]),
      u('SEGES', 'Secretaria de Gestão e Inovação', '-', [u('DELOG', 'Departamento de Normas e Sistemas de Logística', 'E')]),
      u('SPU', 'Secretaria do Patrimônio da União', '-', [
        u('DEDES', 'Departamento de Destinação Patrimonial', 'ER'),
        u('SPU-GO', 'Superintendência do Patrimônio da União em Goiás', 'R'),
      ]),
    ],
  },
  {
    repositorio: REPO_EXECUTIVO,
    numero: NUM_MS,
    sigla: 'MS',
    nome: 'Ministério da Saúde',
    nup: '25000',
    spe: 'spe:sei.saude.gov.br',
    gestores: ['gestor.carlos@saude', 'gestora.lucia@saude'],
    peso: 8,
    cadastradoHaDias: 850,
    assuntos: [
      'Habilitação de leitos de UTI adulto',
      'Termo de execução descentralizada – TED',
      'Ressarcimento ao SUS – análise de impugnação',
      'Solicitação de informações sobre arboviroses',
      'Cessão de servidor para a Secretaria Estadual de Saúde',
      'Registro de preços de medicamentos estratégicos',
    ],
    unidades: [
      u('SE', 'Secretaria-Executiva', '-', [
        u('SAA', 'Subsecretaria de Assuntos Administrativos', 'E', [
          u('COPROT', 'Coordenação de Protocolo', 'ER', [], central),
          u('COGEP', 'Coordenação-Geral de Gestão de Pessoas', 'ER'),
        ]),
        u('CGDI', 'Coordenação-Geral de Documentação e Informação', 'R'),
      ]),
      u('SAES', 'Secretaria de Atenção Especializada à Saúde', '-', [
        u('DAET', 'Departamento de Atenção Especializada e Temática', 'ER'),
        u('DRAC', 'Departamento de Regulação Assistencial e Controle', 'R'),
      ]),
      u('SVSA', 'Secretaria de Vigilância em Saúde e Ambiente', '-', [u('DEDT', 'Departamento de Doenças Transmissíveis', 'ER')]),
      u('SGTES', 'Secretaria de Gestão do Trabalho e da Educação na Saúde', '-', [
        u('DEGERTS', 'Departamento de Gestão e Regulação do Trabalho em Saúde', 'ER'),
      ]),
      u('CONJUR-MS', 'Consultoria Jurídica junto ao Ministério da Saúde', '-'),
    ],
  },
  {
    repositorio: REPO_EXECUTIVO,
    numero: NUM_MEC,
    sigla: 'MEC',
    nome: 'Ministério da Educação',
    nup: '23000',
    spe: 'spe:sei.mec.gov.br',
    gestores: ['gestora.patricia@mec'],
    peso: 6,
    cadastradoHaDias: 760,
    assuntos: [
      'Redistribuição de cargo vago',
      'Supervisão de curso de graduação – diligência',
      'Pactuação de vagas na Rede Federal',
      'Acordo de cooperação técnica',
      'Revalidação de diploma – consulta',
    ],
    unidades: [
      u('SE', 'Secretaria-Executiva', '-', [
        u('SAA', 'Subsecretaria de Assuntos Administrativos', '-', [
          u('CPROT', 'Coordenação de Protocolo', 'ER', [], central),
          u('CGGP', 'Coordenação-Geral de Gestão de Pessoas', 'ER'),
        ]),
      ]),
      u('SESU', 'Secretaria de Educação Superior', '-', [u('DIFES', 'Diretoria de Políticas e Programas de Educação Superior', 'ER')]),
      u('SEB', 'Secretaria de Educação Básica', '-', [u('DAGE', 'Diretoria de Apoio à Gestão Educacional', 'R')]),
      u('SERES', 'Secretaria de Regulação e Supervisão da Educação Superior', '-', [
        u('DISUP', 'Diretoria de Supervisão da Educação Superior', 'E'),
      ]),
      u('SETEC', 'Secretaria de Educação Profissional e Tecnológica', '-', [
        u('DDR', 'Diretoria de Desenvolvimento da Rede Federal', 'ER'),
      ]),
    ],
  },
  {
    repositorio: REPO_EXECUTIVO,
    numero: NUM_MF,
    sigla: 'MF',
    nome: 'Ministério da Fazenda',
    nup: '17944',
    spe: 'spe:sei.fazenda.gov.br',
    gestores: ['gestor.joao@fazenda'],
    peso: 5,
    cadastradoHaDias: 700,
    assuntos: [
      'Operação de crédito de município – verificação de limites',
      'Subsídios para defesa da União em ação judicial',
      'Restituição de valores pagos indevidamente',
      'Parcelamento de débitos previdenciários de município',
    ],
    unidades: [
      u('SE', 'Secretaria-Executiva', '-', [
        u('SGC', 'Subsecretaria de Gestão Corporativa', '-', [
          u('CGDIN', 'Coordenação-Geral de Documentação e Informação', 'R'),
          u('DIPRO', 'Divisão de Protocolo', 'ER', [], central),
        ]),
      ]),
      u('STN', 'Secretaria do Tesouro Nacional', '-', [
        u('COPEM', 'Coordenação-Geral de Operações de Crédito de Estados e Municípios', 'ER'),
        u('COFIN', 'Coordenação-Geral de Programação Financeira', 'E'),
      ]),
      u('PGFN', 'Procuradoria-Geral da Fazenda Nacional', '-', [
        u('CRJ', 'Coordenação-Geral da Representação Judicial da Fazenda Nacional', 'ER'),
      ]),
      u('SRE', 'Secretaria de Reformas Econômicas', 'R'),
    ],
  },
  {
    repositorio: REPO_EXECUTIVO,
    numero: NUM_INSS,
    sigla: 'INSS',
    nome: 'Instituto Nacional do Seguro Social',
    nup: '35014',
    spe: 'spe:sei.inss.gov.br',
    gestores: ['gestora.marta@inss'],
    peso: 8,
    cadastradoHaDias: 820,
    assuntos: [
      'Compensação previdenciária entre regimes – COMPREV',
      'Averbação de tempo de contribuição',
      'Pensão por morte – instrução processual',
      'Apuração de acumulação de cargos',
      'Certidão de tempo de contribuição – retificação',
      'Acordo de cooperação técnica para reconhecimento de direitos',
    ],
    unidades: [
      u('DIRBEN', 'Diretoria de Benefícios e Relacionamento com o Cidadão', '-', [
        u('CGRD', 'Coordenação-Geral de Reconhecimento de Direitos', 'ER'),
        u('DCOMP', 'Divisão de Compensação Previdenciária', 'ER'),
      ]),
      u('DGP', 'Diretoria de Gestão de Pessoas', '-', [u('CGAP', 'Coordenação-Geral de Administração de Pessoal', 'ER')]),
      u('DIROFL', 'Diretoria de Orçamento, Finanças e Logística', '-', [
        u('CGLOG', 'Coordenação-Geral de Logística', '-', [u('DPA', 'Divisão de Protocolo e Arquivo', 'ER', [], central)]),
      ]),
      u('PFE-INSS', 'Procuradoria Federal Especializada junto ao INSS', 'R'),
      u('AUDGER', 'Auditoria-Geral', '-'),
    ],
  },
  {
    repositorio: REPO_EXECUTIVO,
    numero: NUM_IBAMA,
    sigla: 'IBAMA',
    nome: 'Instituto Brasileiro do Meio Ambiente e dos Recursos Naturais Renováveis',
    nup: '02001',
    spe: 'spe:sei.ibama.gov.br',
    gestores: ['gestor.paulo@ibama'],
    peso: 4,
    cadastradoHaDias: 640,
    assuntos: [
      'Licenciamento ambiental – parecer técnico',
      'Solicitação de dados para fiscalização ambiental',
      'Auto de infração – encaminhamento para inscrição em dívida ativa',
      'Autorização de supressão de vegetação',
    ],
    unidades: [
      u('DIPLAN', 'Diretoria de Planejamento, Administração e Logística', '-', [
        u('CGADM', 'Coordenação-Geral de Administração', '-', [u('SEPROT', 'Serviço de Protocolo', 'ER', [], central)]),
      ]),
      u('DILIC', 'Diretoria de Licenciamento Ambiental', '-', [
        u('CGMAC', 'Coordenação-Geral de Licenciamento Ambiental de Empreendimentos Marinhos e Costeiros', 'ER'),
        u('CGTEF', 'Coordenação-Geral de Licenciamento de Empreendimentos Fluviais e Pontuais Terrestres', 'E'),
      ]),
      u('DIPRO', 'Diretoria de Proteção Ambiental', '-', [u('CGFIS', 'Coordenação-Geral de Fiscalização Ambiental', 'R')]),
      u('DBFLO', 'Diretoria de Uso Sustentável da Biodiversidade e Florestas', 'E'),
      u('SUPES-GO', 'Superintendência do IBAMA no Estado de Goiás', 'ER'),
    ],
  },
  {
    repositorio: REPO_EXECUTIVO,
    numero: NUM_ANVISA,
    sigla: 'ANVISA',
    nome: 'Agência Nacional de Vigilância Sanitária',
    nup: '25351',
    spe: 'spe:sei.anvisa.gov.br',
    gestores: ['gestora.fernanda@anvisa'],
    peso: 4,
    cadastradoHaDias: 600,
    assuntos: [
      'Registro de medicamento – exigência técnica',
      'Anuência prévia em pesquisa clínica',
      'Importação excepcional de medicamento',
      'Denúncia sanitária – encaminhamento',
    ],
    unidades: [
      u('GADIP', 'Gabinete do Diretor-Presidente', '-'),
      u('GGMED', 'Gerência-Geral de Medicamentos', '-', [u('GESEF', 'Gerência de Avaliação de Segurança e Eficácia', 'ER')]),
      u('GGTPS', 'Gerência-Geral de Tecnologia de Produtos para Saúde', 'R'),
      u('GGGAF', 'Gerência-Geral de Gestão Administrativa e Financeira', '-', [
        u('GEDOC', 'Gerência de Gestão Documental', '-', [u('CPROT', 'Coordenação de Protocolo', 'ER', [], central)]),
      ]),
      u('PROCR', 'Procuradoria Federal junto à Anvisa', 'E'),
    ],
  },
  {
    repositorio: REPO_EXECUTIVO,
    numero: NUM_INCRA,
    sigla: 'INCRA',
    nome: 'Instituto Nacional de Colonização e Reforma Agrária',
    nup: '54000',
    spe: 'spe:sei.incra.gov.br',
    gestores: ['gestor.antonio@incra'],
    peso: 3,
    cadastradoHaDias: 560,
    assuntos: [
      'Regularização fundiária de imóvel rural',
      'Georreferenciamento – certificação de imóvel',
      'Desapropriação para reforma agrária – avaliação',
      'Transferência de gleba da União',
    ],
    unidades: [
      u('DA', 'Diretoria de Gestão Administrativa', '-', [
        u('DAA', 'Coordenação-Geral de Administração', '-', [u('SPA', 'Serviço de Protocolo e Arquivo', 'ER', [], central)]),
      ]),
      u('DF', 'Diretoria de Governança Fundiária', '-', [u('DFC', 'Coordenação-Geral de Cartografia', 'ER')]),
      u('SR-04', 'Superintendência Regional do INCRA em Goiás', 'ER'),
      u('PFE-INCRA', 'Procuradoria Federal Especializada junto ao INCRA', 'R'),
    ],
  },
  {
    repositorio: REPO_JUDICIARIO,
    numero: NUM_TRF1,
    sigla: 'TRF1',
    nome: 'Tribunal Regional Federal da 1ª Região',
    nup: '00038',
    spe: 'spe:sei.trf1.jus.br',
    gestores: ['gestora.beatriz@trf1'],
    peso: 3,
    cadastradoHaDias: 500,
    assuntos: [
      'Requisição de informações para instrução de precatório',
      'Cessão de servidor ao Poder Executivo',
      'Acordo de cooperação técnica – compartilhamento de dados',
    ],
    unidades: [
      u('PRESI', 'Presidência', '-', [u('SECGE', 'Secretaria-Geral da Presidência', 'E')]),
      u('DIGES', 'Diretoria-Geral da Secretaria', '-', [
        u('SECAD', 'Secretaria de Administração', '-', [u('DIGED', 'Divisão de Gestão Documental e Protocolo', 'ER', [], central)]),
        u('SECGP', 'Secretaria de Gestão de Pessoas', 'ER'),
      ]),
      u('COGER', 'Corregedoria Regional da Justiça Federal da 1ª Região', 'R'),
      u('SJGO', 'Seção Judiciária do Estado de Goiás', 'R'),
    ],
  },
  {
    repositorio: REPO_TRIBUNAIS_CONTAS,
    numero: NUM_TCU,
    sigla: 'TCU',
    nome: 'Tribunal de Contas da União',
    nup: '03600',
    spe: 'spe:etcu.tcu.gov.br',
    gestores: ['gestor.rafael@tcu'],
    peso: 3,
    cadastradoHaDias: 450,
    assuntos: [
      'Auditoria – solicitação de documentos',
      'Diligência em processo de tomada de contas especial',
      'Apreciação de ato de aposentadoria – diligência',
      'Acompanhamento de determinação do Acórdão',
    ],
    unidades: [
      u('SEGEPRES', 'Secretaria-Geral da Presidência', '-'),
      u('SEGECEX', 'Secretaria-Geral de Controle Externo', '-', [
        u('AUDPESSOAL', 'Unidade de Auditoria Especializada em Pessoal', 'ER'),
        u('AUDSAUDE', 'Unidade de Auditoria Especializada em Saúde', 'R'),
        u('AUDEDUCACAO', 'Unidade de Auditoria Especializada em Educação, Cultura e Desporto', 'ER'),
      ]),
      u('SEGEDAM', 'Secretaria-Geral de Administração', '-', [u('SEPROT', 'Serviço de Gestão Documental e Protocolo', 'ER', [], central)]),
    ],
  },
  {
    repositorio: REPO_ESTADOS,
    numero: NUM_GO,
    sigla: 'GOV-GO',
    nome: 'Governo do Estado de Goiás',
    nup: '20251',
    spe: 'spe:sei.go.gov.br',
    gestores: ['gestora.juliana@go'],
    peso: 2,
    cadastradoHaDias: 95,
    assuntos: [
      'Convênio para transferência de recursos',
      'Cessão de servidor estadual ao Poder Executivo Federal',
      'Solicitação de apoio técnico em vigilância sanitária',
    ],
    unidades: [
      u('SEAD', 'Secretaria de Estado da Administração', '-', [
        u('GEDOC', 'Gerência de Gestão Documental', '-', [u('NUPROT', 'Núcleo de Protocolo Geral', 'ER', [], central)]),
        u('GEPES', 'Gerência de Gestão de Pessoas', 'E'),
      ]),
      u('SES-GO', 'Secretaria de Estado da Saúde', '-', [u('SUVISA', 'Superintendência de Vigilância em Saúde', 'ER')]),
      u('SEDUC-GO', 'Secretaria de Estado da Educação', 'R'),
      u('SEMAD', 'Secretaria de Estado de Meio Ambiente e Desenvolvimento Sustentável', 'E'),
    ],
  },
];

export const ASSUNTOS_GERAIS = [
  'Acordo de cooperação técnica',
  'Solicitação de cessão de servidor',
  'Pedido de acesso à informação – recurso de 2ª instância',
  'Ressarcimento de despesas com servidor cedido',
  'Indicação de representante para comitê interministerial',
  'Doação de bens móveis inservíveis',
  'Transferência de acervo documental',
  'Contrato de prestação de serviços – repactuação',
  'Subsídios para resposta a requerimento de informação',
  'Movimentação de servidor para compor força de trabalho',
  'Termo de execução descentralizada – prestação de contas',
  'Apuração de responsabilidade – encaminhamento',
];

export const ESPECIES_AVULSO = ['Ofício', 'Ofício Circular', 'Nota Técnica', 'Memorando', 'Despacho'];

// ---------------------------------------------------------------------------------------------------
// The agencies the onboarding plan adds, at the early stages (onboarding.ts)
// ---------------------------------------------------------------------------------------------------

export interface OrgaoOnboardingDemo {
  repositorio: number;
  numero: number;
  sigla: string;
  nome: string;
  /** First five digits of the NUPs this agency issues. */
  nup: string;
  gestor: string;
  spe: string;
  /** Description of the gestor's demo account. */
  conta: string;
  etapa: Etapa;
  unidades: UnidadeDef[];
}

export const DEMO_ORGAOS_ONBOARDING: OrgaoOnboardingDemo[] = [
  {
    repositorio: REPO_ESTADOS,
    numero: 22,
    sigla: 'GOV-PI',
    nome: 'Governo do Estado do Piauí',
    nup: '00002',
    gestor: 'gestor.marcos@pi',
    spe: 'spe:sei.pi.gov.br',
    conta: 'Gestor de protocolo do Governo do Estado do Piauí (cadastro em análise)',
    etapa: 'ANALISE_CADASTRO',
    unidades: [
      u('SEAD-PI', 'Secretaria de Estado da Administração', '-', [u('PROTGERAL', 'Protocolo Geral', 'ER', [], central)]),
      u('SESAPI', 'Secretaria de Estado da Saúde', 'R'),
      u('SEDUC-PI', 'Secretaria de Estado da Educação', 'E'),
    ],
  },
  {
    repositorio: REPO_TRIBUNAIS_CONTAS,
    numero: 5_052,
    sigla: 'TCE-GO',
    nome: 'Tribunal de Contas do Estado de Goiás',
    nup: '20800',
    gestor: 'gestora.helena@tce-go',
    spe: 'spe:sei.tce.go.gov.br',
    conta: 'Gestora de protocolo do Tribunal de Contas do Estado de Goiás (cadastro rejeitado)',
    etapa: 'CADASTRO_REJEITADO',
    unidades: [
      u('SEGER', 'Secretaria-Geral', '-', [
        u('SPROT', 'Serviço de Protocolo', 'ER', [], central),
        u('SCEX', 'Secretaria de Controle Externo', 'R'),
      ]),
      u('PRESI', 'Presidência', 'E'),
    ],
  },
  {
    repositorio: REPO_ESTADOS,
    numero: 27,
    sigla: 'GOV-AL',
    nome: 'Governo do Estado de Alagoas',
    nup: '01101',
    gestor: 'gestor.tiago@al',
    spe: 'spe:sei.al.gov.br',
    conta: 'Gestor de protocolo do Governo do Estado de Alagoas (configuração da estrutura)',
    etapa: 'CONFIGURACAO_ESTRUTURA',
    unidades: [
      u('SEPLAG-AL', 'Secretaria de Estado do Planejamento, Gestão e Patrimônio', '-', [
        u('GEPROT', 'Gerência de Protocolo Geral', 'ER', [], central),
      ]),
      u('SESAU-AL', 'Secretaria de Estado da Saúde', 'ER'),
      u('SEMARH', 'Secretaria de Estado do Meio Ambiente e dos Recursos Hídricos', 'E'),
    ],
  },
  {
    repositorio: REPO_JUSTICA_DO_TRABALHO,
    numero: 10_218,
    sigla: 'TRT18',
    nome: 'Tribunal Regional do Trabalho da 18ª Região',
    nup: '00218',
    gestor: 'gestora.renata@trt18',
    spe: 'spe:sei.trt18.jus.br',
    conta: 'Gestora de protocolo do TRT da 18ª Região (requisitos mínimos em homologação)',
    etapa: 'IMPLANTACAO_HOMOLOGACAO',
    unidades: [
      u('DG', 'Diretoria-Geral', '-', [
        u('SPA', 'Seção de Protocolo e Arquivo', 'ER', [], central),
        u('SGPE', 'Secretaria de Gestão de Pessoas', 'ER'),
      ]),
      u('SCR', 'Secretaria da Corregedoria Regional', 'R'),
    ],
  },
  {
    repositorio: 1,
    numero: 75_612,
    sigla: 'ICMBio',
    nome: 'Instituto Chico Mendes de Conservação da Biodiversidade',
    nup: '02070',
    gestor: 'gestor.felipe@icmbio',
    spe: 'spe:sei.icmbio.gov.br',
    conta: 'Gestor de protocolo do ICMBio (validação da homologação)',
    etapa: 'VALIDACAO_HOMOLOGACAO',
    unidades: [
      u('DIPLAN', 'Diretoria de Planejamento, Administração e Logística', '-', [u('SEPROT', 'Serviço de Protocolo', 'ER', [], central)]),
      u('DIBIO', 'Diretoria de Pesquisa, Avaliação e Monitoramento da Biodiversidade', 'ER'),
      u('DIMAN', 'Diretoria de Criação e Manejo de Unidades de Conservação', 'E'),
    ],
  },
  {
    repositorio: 1,
    numero: 2_005,
    sigla: 'IPHAN',
    nome: 'Instituto do Patrimônio Histórico e Artístico Nacional',
    nup: '01450',
    gestor: 'gestora.clara@iphan',
    spe: 'spe:sei.iphan.gov.br',
    conta: 'Gestora de protocolo do IPHAN (validação em produção)',
    etapa: 'VALIDACAO_PRODUCAO',
    unidades: [
      u('DPA', 'Departamento de Planejamento e Administração', '-', [u('COPROT', 'Coordenação de Protocolo', 'ER', [], central)]),
      u('DEPAM', 'Departamento de Patrimônio Material e Fiscalização', 'ER'),
      u('IPHAN-GO', 'Superintendência do IPHAN em Goiás', 'R'),
    ],
  },
];

// ---------------------------------------------------------------------------------------------------
// SPEs (docs/domain.md §5): each agency's own system, hosted by itself ("Interno"), and one hosted by a
// Gestor Tecnológico for several agencies (which also keep their own).
// ---------------------------------------------------------------------------------------------------

export interface SistemaDef {
  /** The token's `spe` claim. */
  codigo: string;
  nome: string;
  sistema: string;
  versao: string;
  gestorTecnologico: string;
  orgaos: string[];
}

const SISTEMA_POR_SPE: Record<string, string> = { 'spe:etcu.tcu.gov.br': 'e-TCU' };

export const SISTEMAS: SistemaDef[] = [
  ...[...ORGAOS, ...DEMO_ORGAOS_ONBOARDING].map((o) => {
    const sistema = SISTEMA_POR_SPE[o.spe] ?? 'SEI';
    return {
      codigo: o.spe.replace(/^spe:/, ''),
      nome: `${o.sigla} – ${sistema}`,
      sistema,
      versao: sistema === 'SEI' ? '4.1.5' : '2.3',
      gestorTecnologico: 'Interno',
      orgaos: [o.sigla],
    };
  }),
  {
    codigo: 'super.dataprev.gov.br',
    nome: 'Dataprev – SUPER',
    sistema: 'SUPER',
    versao: '4.0.12',
    gestorTecnologico: 'Dataprev',
    orgaos: ['INSS', 'INCRA', 'ANVISA'],
  },
];
