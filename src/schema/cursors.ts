import { decodeBase64, decodeCursorChunk } from '@pothos/core';
import { badUserInput } from './errors.js';

/** The type of each value a connection's cursor holds, in its `orderBy` order. */
export type CursorShape = ReadonlyArray<'int' | 'string' | 'date'>;

const MAX_CURSOR_LENGTH = 1_000;

/**
 * Checks `after` / `before` against the shape the connection and its ordering write, before any SQL.
 * Each connection ordering has its own shape (`[int]`, `[date, int]`, `[string, int]`), so a cursor
 * from another ordering, another connection or another type, or one edited by hand, answers
 * BAD_USER_INPUT instead of reaching the database as a wrong-typed comparison.
 */
export function assertCursors(args: { after?: string | null; before?: string | null }, shape: CursorShape, ordering: string): void {
  for (const argument of ['after', 'before'] as const) {
    const cursor = args[argument];
    if (cursor == null) continue;
    if (!matchesShape(cursor, shape)) {
      throw badUserInput(
        argument,
        `cursor inválido para esta lista na ordem ${ordering} (veio de outra lista, de outra ordem, ou foi alterado). Recomece sem \`${argument}\`.`,
      );
    }
  }
}

function matchesShape(cursor: string, shape: CursorShape): boolean {
  if (cursor.length > MAX_CURSOR_LENGTH) return false;
  let values: unknown[];
  try {
    const decoded = decodeBase64(cursor);
    if (!decoded.startsWith('DC:')) return false;
    const chunk: unknown = decodeCursorChunk(decoded.slice(3));
    values = shape.length === 1 ? [chunk] : (chunk as unknown[]);
  } catch {
    return false;
  }
  if (!Array.isArray(values) || values.length !== shape.length) return false;
  return shape.every((kind, i) => {
    const value = values[i];
    // The int of every ordering is a row id (serial, from 1): zero, negatives and empty text were never handed out.
    if (kind === 'int') return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
    if (kind === 'string') return typeof value === 'string';
    return value instanceof Date && !Number.isNaN(value.getTime());
  });
}
