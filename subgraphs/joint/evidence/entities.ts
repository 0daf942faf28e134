import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Evidence of a visit (issue J): photos and documents taken on site, the signatures drawn on the
 * phone, and the papers the hub makes (the joint record form, the notice). Stored once by content:
 * the key is the SHA-256 of the bytes, so the same photo sent twice (a phone retrying after the
 * network dropped) is stored once, and a result refers to it as `sha256:<hex>`. Never public: only
 * the visit's team and the staff of the departments taking part in its task read it (R30).
 */
@Entity('evidence')
export class EvidenceRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sha256!: string;

  /** The type found in the bytes themselves (sniffMediaType), never the one the sender claimed. */
  @Column({ name: 'media_type', type: 'varchar', length: 40 })
  mediaType!: string;

  @Column({ type: 'int' })
  size!: number;

  @Column({ name: 'stored_at', type: 'datetime', precision: 3 })
  storedAt!: Date;
}

/** Which visit a piece of evidence belongs to, of what kind, and who sent it (one row per visit it was sent for). */
@Entity('evidence_link')
@Index('idx_evidence_link_visit', ['taskId', 'targetKey'])
export class EvidenceLinkRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sha256!: string;

  @PrimaryColumn({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @PrimaryColumn({ name: 'target_key', type: 'varchar', length: 64 })
  targetKey!: string;

  /** An EvidenceKind. */
  @Column({ type: 'varchar', length: 12 })
  kind!: string;

  @Column({ name: 'uploaded_by', type: 'varchar', length: 64 })
  uploadedBy!: string;

  @Column({ name: 'uploaded_at', type: 'datetime', precision: 3 })
  uploadedAt!: Date;
}

/**
 * The bytes of a piece of evidence, in parts of at most EVIDENCE_CHUNK_BYTES: TypeORM sends an
 * insert to MySQL as SQL text, where bytes are written in hexadecimal (twice their size), and one
 * statement must fit the server's max_allowed_packet (16 MB by default on MariaDB); 1 MB parts
 * keep each statement near 2 MB whatever the file's size.
 */
@Entity('evidence_chunk')
export class EvidenceChunkRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sha256!: string;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ type: 'blob' })
  data!: Buffer;
}
