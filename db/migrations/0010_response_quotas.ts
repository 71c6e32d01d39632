import { sql, type Kysely, type Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * Response quotas per collection link and client address, shared by every server process:
 * one counter row per (link, address, minute) and per (link, address, day), bumped by a single
 * conditional upsert, so two processes racing cannot both pass the limit. Addresses are stored
 * only as a hash salted with a secret of the day (response_quota_salts, deleted once the day is
 * over), so the table never links an address to the moment a response arrived.
 * A facilitator's lift of a link's quotas lives in link_quota_lifts.
 * Also: no programme keeps a minimum cell size below 3 (the floor the app now enforces).
 */
export function m0010_response_quotas(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("response_quota_counts")
        // No foreign key: a counter row is written on every sync, and rows are pruned within days.
        .addColumn("link_id", "text", (c) => c.notNull())
        .addColumn("address_key", "text", (c) => c.notNull())
        .addColumn("span", "text", (c) => c.notNull().check(sql`span in ('minute','day')`))
        .addColumn("window_start", "text", (c) => c.notNull())
        .addColumn("taken", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("refused", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("last_refused_at", "text")
        .addPrimaryKeyConstraint("response_quota_counts_pk", ["link_id", "address_key", "span", "window_start"])
        .execute();
      // Pruning deletes by age; the links page reads a link's refused days.
      await db.schema.createIndex("response_quota_counts_age").on("response_quota_counts").columns(["span", "window_start"]).execute();

      await db.schema
        .createTable("response_quota_salts")
        .addColumn("day", "text", (c) => c.primaryKey())
        .addColumn("salt", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("link_quota_lifts")
        .addColumn("link_id", "text", (c) => c.primaryKey().references("collection_links.id").onDelete("cascade"))
        .addColumn("lifted_until", "text", (c) => c.notNull())
        .addColumn("lifted_by", "text", (c) => c.notNull())
        .addColumn("lifted_at", "text", (c) => c.notNull())
        .execute();

      await sql`UPDATE programmes SET min_cell_size = 3 WHERE min_cell_size < 3`.execute(db);
    },
    async down(db: Kysely<any>) {
      // Minimum cell sizes lifted to 3 stay there: lowering them again would expose small groups.
      await db.schema.dropTable("link_quota_lifts").execute();
      await db.schema.dropTable("response_quota_salts").execute();
      await db.schema.dropTable("response_quota_counts").execute();
    },
  };
}
