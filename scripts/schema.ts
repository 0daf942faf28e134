import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { generateSchemaFiles } from './schema-files';

/** `npm run schema`: writes schema/ from the code (the contract, each subgraph, the supergraph). */
async function main(): Promise<void> {
  const dir = path.join(__dirname, '..', 'schema');
  fs.mkdirSync(dir, { recursive: true });
  const files = await generateSchemaFiles();
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), content);
    console.log(`schema/${name}`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
