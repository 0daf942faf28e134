import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bool, datetime, int, longText, table, text, varchar } from '../../../kernel/table-helpers';

/** The registry's tables: subgraphs, SDLs by hash, supergraph versions and the head. */
export class Registry1763970000000 implements MigrationInterface {
  name = 'Registry1763970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      table(
        'registered_subgraph',
        [
          varchar('name', 40, { isPrimary: true }),
          varchar('code', 20, { isNullable: true }),
          varchar('department_name', 100, { isNullable: true }),
          varchar('url', 500),
          varchar('sdl_hash', 64),
          int('since_version'),
          datetime('updated_at'),
          varchar('updated_by', 64),
        ],
        [{ name: 'uq_registered_subgraph_code', columns: ['code'], unique: true }],
      ),
    );
    await q.createTable(
      table('subgraph_sdl', [varchar('hash', 64, { isPrimary: true }), longText(q, 'sdl'), datetime('created_at')]),
    );
    await q.createTable(
      table('supergraph_version', [
        int('number', { isPrimary: true }),
        datetime('created_at'),
        varchar('author', 64),
        varchar('author_role', 20),
        varchar('action', 16),
        varchar('subject', 200),
        text('note', { isNullable: true }),
        bool('forced'),
        longText(q, 'subgraphs'),
        longText(q, 'supergraph_sdl'),
        varchar('supergraph_hash', 64),
      ]),
    );
    await q.createTable(table('registry_head', [int('id', { isPrimary: true }), int('current')]));
    await q.query('INSERT INTO registry_head (id, current) VALUES (1, 0)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of ['registry_head', 'supergraph_version', 'subgraph_sdl', 'registered_subgraph'])
      await q.dropTable(name);
  }
}
