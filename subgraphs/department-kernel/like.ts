/**
 * LIKE patterns built from caller text, in one place: every LIKE of the hub (TypeORM query builders
 * and the connectors' own SQL) goes through these, so a `%`, `_` or escape character the caller
 * types matches itself and never the whole table. The escape character is `!`, given in an ESCAPE
 * clause, because SQLite has no default escape and MySQL's default (`\`) means something else
 * inside its string literals; `!` reads the same on both.
 */

/** The escape character of every LIKE pattern built here. */
export const LIKE_ESCAPE_CHARACTER = '!';

/** `<column> LIKE <placeholder> ESCAPE '!'`: the one way the hub writes a LIKE (`:name` or `?`). */
export function likeClause(column: string, placeholder: string): string {
  return `${column} LIKE ${placeholder} ESCAPE '${LIKE_ESCAPE_CHARACTER}'`;
}

/** Text escaped so every character of it matches itself in a LIKE pattern (with `likeClause`). */
export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `${LIKE_ESCAPE_CHARACTER}${c}`);
}

/** A pattern matching values that contain the text. */
export const likeContaining = (text: string): string => `%${escapeLike(text)}%`;

/** A pattern matching values that start with the text. */
export const likeStartingWith = (text: string): string => `${escapeLike(text)}%`;
