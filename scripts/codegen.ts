import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { GENERATED_FILE, generateFromSchemaDir } from './web-operation-types';

/**
 * `npm run codegen`: writes web/src/api/generated.ts, the types of the stored web operations, from
 * schema/ (scripts/web-operation-types.ts). `npm run typecheck` runs it with `--check` first: it
 * writes nothing and fails when the file is not what the schema and operations produce.
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const content = await generateFromSchemaDir();
  const relative = path.relative(process.cwd(), GENERATED_FILE);
  const current = fs.existsSync(GENERATED_FILE) ? fs.readFileSync(GENERATED_FILE, 'utf8') : null;
  if (current === content) {
    console.log(`${relative} is up to date`);
    return;
  }
  if (check) throw new Error(`${relative} is not what schema/ and operations/web/ produce: run \`npm run codegen\`.`);
  fs.writeFileSync(GENERATED_FILE, content);
  console.log(`${relative} written`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
