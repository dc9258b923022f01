/**
 * Every PostgreSQL advisory-lock key the gateway takes, in one registry so no two uses collide.
 * The keys are shared by every instance on one database: never renumber one that has shipped.
 */
export const ADVISORY_LOCKS = {
  /** Held while one instance applies the migrations; the others wait for it (db/client.ts). */
  migrations: 7_411_027_001,
  // 7_411_027_002, _003 and _011 ordered appends to the event logs until readers took over the ordering
  // (db/log.ts): retired, not to be reused while an older instance may still run.
  /** Held while one stuck-alert scan reads its watermark and appends (tramites/alertas-parados.ts). */
  varreduraAlertas: 7_411_027_012,
  /** Held while an instance creates homologação's automatic test counterparts (onboarding/contrapartes.ts). */
  contrapartesTeste: 7_411_027_013,
  /** Held while one instance writes the demo data into an empty database. */
  demoSeed: 7_411_027_004,
  /** Held while an access request registers a new agency: its number in the repositório and its CNPJ are decided one at a time. */
  novoOrgao: 7_411_027_005,
  /**
   * The class of the two-key form `pg_advisory_xact_lock(class, hashtext(numeroProcesso))`, held while a
   * trâmite of that process starts, so two starts of one process are decided one after the other. The
   * two-key form never conflicts with the one-key locks above (PostgreSQL keeps them apart).
   */
  processoPorNumero: 74_110_275,
  /**
   * The class of `pg_advisory_xact_lock(class, hashtext(hash))`, held while an upload decides whether its content is
   * already held: two concurrent uploads of identical bytes take turns instead of racing on the unique (hash, tamanho).
   */
  conteudoPorHash: 74_110_276,
} as const;
