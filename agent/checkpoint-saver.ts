/**
 * PostgresSaver with a one-statement `put`. The library's `put` (checkpoint-postgres 1.0.5) takes a pool client and
 * runs BEGIN, one INSERT per changed channel, the checkpoint INSERT and COMMIT: a turn of this graph changes ~18
 * channels, so ~21 round trips per checkpoint. Here the blobs go in as arrays through `unnest` in a data-modifying
 * CTE in front of the checkpoint upsert: the same rows, the same conflict rules, atomic as one statement, one round
 * trip. (Unnamed statement: the embedded database shares one backend session between connections, where a named
 * statement would collide on reconnect.) Everything else, reads included, is the library's.
 */
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import type pg from "pg";

export class BatchedPostgresSaver extends PostgresSaver {
  private readonly db: pg.Pool;
  private readonly putSql: string;

  constructor(pool: pg.Pool, schema: string) {
    super(pool, undefined, { schema });
    this.db = pool;
    // The library's UPSERT_CHECKPOINT_BLOBS_SQL and UPSERT_CHECKPOINTS_SQL, joined.
    this.putSql = `WITH blobs AS (
        INSERT INTO "${schema}".checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
        SELECT $1, $2, b.channel, b.version, b.type, b.blob
        FROM unnest($3::text[], $4::text[], $5::text[], $6::bytea[]) AS b(channel, version, type, blob)
        ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING
      )
      INSERT INTO "${schema}".checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata)
      VALUES ($1, $2, $7, $8, $9, $10)
      ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id)
      DO UPDATE SET checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata`;
  }

  override async put(...[config, checkpoint, metadata, newVersions]: Parameters<PostgresSaver["put"]>): ReturnType<PostgresSaver["put"]> {
    if (config.configurable === undefined) throw new Error(`Missing "configurable" field in "config" param`);
    const { thread_id, checkpoint_ns = "", checkpoint_id } = config.configurable;
    const [blobs, serializedMetadata] = await Promise.all([
      this._dumpBlobs(thread_id, checkpoint_ns, checkpoint.channel_values, newVersions),
      this._dumpMetadata(metadata),
    ]);
    await this.db.query(this.putSql, [
      thread_id,
      checkpoint_ns,
      blobs.map((b) => b[2]),
      blobs.map((b) => b[3]),
      blobs.map((b) => b[4]),
      blobs.map((b) => (b[5] ? Buffer.from(b[5].buffer, b[5].byteOffset, b[5].byteLength) : null)),
      checkpoint.id,
      checkpoint_id,
      this._dumpCheckpoint(checkpoint),
      serializedMetadata,
    ]);
    return { configurable: { thread_id, checkpoint_ns, checkpoint_id: checkpoint.id } };
  }
}
