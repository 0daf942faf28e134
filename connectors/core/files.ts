import fs from 'node:fs';
import path from 'node:path';

/**
 * A file of `connectors/` (a mapping), found from the code's own place: the repository when run
 * from source, `/app/connectors` in the image (the Dockerfile copies the mappings beside `dist/`).
 */
export function connectorFile(relative: string): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, path.basename(dir) === 'connectors' ? '' : 'connectors', relative);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`connectors/${relative} was not found above ${__dirname}.`);
  }
}
