import { In, type EntityManager } from 'typeorm';
import { insertRows } from '../../../kernel/rows';
import { EVIDENCE_CHUNK_BYTES } from '../visits/entities';
import { EvidenceChunkRow, EvidenceLinkRow, EvidenceRow } from './entities';

/** Evidence files, their parts and their links to visits (issue J): the only code that reads or writes their tables. */
export class EvidenceRepository {
  constructor(readonly manager: EntityManager) {}

  /** The link of a piece of evidence to a visit, if it was sent for that visit. */
  link(sha256: string, taskId: string, targetKey: string): Promise<EvidenceLinkRow | null> {
    return this.manager.findOneBy(EvidenceLinkRow, { sha256, taskId, targetKey });
  }

  /** Every visit a piece of evidence was sent for. */
  linksOf(sha256: string): Promise<EvidenceLinkRow[]> {
    return this.manager.find(EvidenceLinkRow, { where: { sha256 } });
  }

  /** The links of a visit to some pieces of evidence (those among `sha256s` sent for it), in one statement. */
  linksAmong(taskId: string, targetKey: string, sha256s: readonly string[]): Promise<EvidenceLinkRow[]> {
    return this.manager.find(EvidenceLinkRow, { where: { taskId, targetKey, sha256: In([...sha256s]) } });
  }

  /** The hashes among `sha256s` (none repeated) sent for a visit, in one statement reading the hashes alone. */
  async linkedHashes(taskId: string, targetKey: string, sha256s: readonly string[]): Promise<string[]> {
    const rows = await this.manager.find(EvidenceLinkRow, {
      select: { sha256: true },
      where: { taskId, targetKey, sha256: In([...sha256s]) },
    });
    return rows.map((r) => r.sha256);
  }

  /** A stored piece of evidence (its type and size, not its bytes), or null. */
  file(sha256: string): Promise<EvidenceRow | null> {
    return this.manager.findOneBy(EvidenceRow, { sha256 });
  }

  /** Whether bytes with this hash are stored. */
  isStored(sha256: string): Promise<boolean> {
    return this.manager.existsBy(EvidenceRow, { sha256 });
  }

  /**
   * Stores a piece of evidence and its bytes, in parts of at most EVIDENCE_CHUNK_BYTES, one statement
   * per part (see EvidenceChunkRow: each statement fits MySQL's max_allowed_packet). A duplicate key
   * (the same bytes stored at the same moment) is thrown as the database gives it.
   */
  async insertFile(file: EvidenceRow, bytes: Buffer): Promise<void> {
    await insertRows(this.manager, EvidenceRow, file);
    for (let seq = 0, at = 0; at < bytes.length; seq++, at += EVIDENCE_CHUNK_BYTES) {
      await insertRows(
        this.manager,
        EvidenceChunkRow,
        Object.assign(new EvidenceChunkRow(), {
          sha256: file.sha256,
          seq,
          data: bytes.subarray(at, at + EVIDENCE_CHUNK_BYTES),
        }),
      );
    }
  }

  /** Links a stored piece of evidence to a visit; a duplicate key is thrown as the database gives it. */
  async insertLink(link: EvidenceLinkRow): Promise<void> {
    await insertRows(this.manager, EvidenceLinkRow, link);
  }

  /** The bytes of a stored piece of evidence, its parts put together (none: empty). */
  async bytesOf(sha256: string): Promise<Buffer> {
    const chunks = await this.manager.find(EvidenceChunkRow, { where: { sha256 }, order: { seq: 'ASC' } });
    return Buffer.concat(chunks.map((c) => c.data));
  }
}
