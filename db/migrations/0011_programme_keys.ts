import { sql, type Kysely, type Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * Programme keys for sealed responses: tablets encrypt each response to the programme's public key,
 * the server opens it with the private key kept here. `kid` names the key inside every sealed
 * response, so a key can later be retired (retired_at) and a new one made while old ones still open;
 * at most one key per programme is current.
 */
export function m0011_programme_keys(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("programme_keys")
        .addColumn("kid", "text", (c) => c.primaryKey())
        .addColumn("programme_id", "text", (c) => c.notNull().references("programmes.id").onDelete("cascade"))
        .addColumn("public_key", "text", (c) => c.notNull())
        .addColumn("private_key", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("retired_at", "text")
        .execute();
      await sql`CREATE UNIQUE INDEX programme_keys_current ON programme_keys (programme_id) WHERE retired_at IS NULL`.execute(db);
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("programme_keys").execute();
    },
  };
}
