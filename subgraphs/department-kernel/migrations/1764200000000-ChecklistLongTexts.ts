import type { MigrationInterface, QueryRunner } from 'typeorm';
import { retypeColumns, text, varchar } from '../../../kernel/table-helpers';

/**
 * Checklist item texts as long as provinces publish them (R1, CHECKLIST_TEXT_CAPS): title and
 * frequency become text (a published title runs to 1,300 characters), the inspecting body
 * varchar(500) and the domain varchar(100) (one ran to 68). None of them is in an index. Items
 * already stored keep every value.
 */
export class ChecklistLongTexts1764200000000 implements MigrationInterface {
  name = 'ChecklistLongTexts1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await retypeColumns(q, 'checklist_item', [
      text('title'),
      varchar('inspecting_body', 500),
      text('frequency'),
      varchar('domain', 100),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await retypeColumns(q, 'checklist_item', [
      varchar('title', 200),
      varchar('inspecting_body', 100),
      varchar('frequency', 100),
      varchar('domain', 50),
    ]);
  }
}
