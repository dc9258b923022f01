/** The raw rows of `db.execute` / `tx.execute`, whichever driver: postgres.js answers an array, PGlite `{ rows }` (docs/stack.md trap 4). */
export function linhasDe<T = Record<string, unknown>>(resultado: unknown): T[] {
  return (Array.isArray(resultado) ? resultado : ((resultado as { rows?: T[] }).rows ?? [])) as T[];
}
