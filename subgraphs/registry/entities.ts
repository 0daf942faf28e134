import { Column, Entity, PrimaryColumn } from 'typeorm';

/*
 * The registry's own tables: the subgraphs as currently accepted, their SDLs by hash, and every
 * accepted supergraph version. Gateways read `registry_head` and `supergraph_version` (DESIGN.md
 * "Registry and gateway"); nothing else reads this database.
 */

/** A subgraph in the current version. */
@Entity('registered_subgraph')
export class SubgraphRow {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  name!: string;

  /** The department code, or null for a hub service (joint, registry). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  code!: string | null;

  @Column({ name: 'department_name', type: 'varchar', length: 100, nullable: true })
  departmentName!: string | null;

  @Column({ type: 'varchar', length: 500 })
  url!: string;

  @Column({ name: 'sdl_hash', type: 'varchar', length: 64 })
  sdlHash!: string;

  /** The version that last changed it. */
  @Column({ name: 'since_version', type: 'int' })
  sinceVersion!: number;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'varchar', length: 64 })
  updatedBy!: string;
}

/** An SDL as fetched, by its SHA-256 (versions name SDLs by hash; rollback reads them back). */
@Entity('subgraph_sdl')
export class SdlRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  hash!: string;

  @Column({ type: 'text' })
  sdl!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}

/** One subgraph as a version holds it. */
export interface VersionSubgraph {
  name: string;
  code: string | null;
  departmentName: string | null;
  url: string;
  sdlHash: string;
}

/** An accepted supergraph version: never changed once written. */
@Entity('supergraph_version')
export class VersionRow {
  @PrimaryColumn({ type: 'int' })
  number!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 64 })
  author!: string;

  @Column({ name: 'author_role', type: 'varchar', length: 20 })
  authorRole!: string;

  /** REGISTER, UPDATE, REMOVE, ROLLBACK or BOOTSTRAP. */
  @Column({ type: 'varchar', length: 16 })
  action!: string;

  /** The subgraph registered, updated or removed, or `v<N>` for a rollback. */
  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** A hub admin accepted it although it breaks stored operations (named in the note). */
  @Column({ type: 'boolean' })
  forced!: boolean;

  @Column({ type: 'simple-json' })
  subgraphs!: VersionSubgraph[];

  @Column({ name: 'supergraph_sdl', type: 'text' })
  supergraphSdl!: string;

  @Column({ name: 'supergraph_hash', type: 'varchar', length: 64 })
  supergraphHash!: string;
}

/** One row: the current version. Writers lock it, so two registry instances never fork the history. */
@Entity('registry_head')
export class HeadRow {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  current!: number;
}

export const REGISTRY_ENTITIES = [SubgraphRow, SdlRow, VersionRow, HeadRow];
