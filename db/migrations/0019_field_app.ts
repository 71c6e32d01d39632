import { randomInt } from "node:crypto";
import type { Kysely, Migration } from "kysely";
import type { Dialect } from "../portable";

// Frozen here (app/links/short-code.ts makes the codes of new links): the alphabet without 0/O, 1/I/L.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const newShortCode = () => Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");

/**
 * Every collection link gets a short code (8 characters without look-alikes) that opens it at
 * /c/{code} and can be typed from a poster. Existing links get one here; the column stays nullable
 * so that rows written by older code paths are still valid, and unique where set.
 * Also: a focus-group session records the tablet it ran on (the name given when it was armed) and the
 * facilitator who ran it, for supervisors checking a device's data.
 */
export function m0019_field_app(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable("collection_links").addColumn("short_code", "text").execute();
      const rows = await db.selectFrom("collection_links").select("id").execute();
      const taken = new Set<string>();
      for (const { id } of rows) {
        let code = newShortCode();
        while (taken.has(code)) code = newShortCode();
        taken.add(code);
        await db.updateTable("collection_links").set({ short_code: code }).where("id", "=", id).execute();
      }
      await db.schema.createIndex("collection_links_short_code").unique().on("collection_links").column("short_code").execute();
      await db.schema.alterTable("fg_sessions").addColumn("device_name", "text").execute();
      // No foreign key: a person removed later leaves the session as it was recorded (the name is kept too).
      await db.schema.alterTable("fg_sessions").addColumn("facilitator_id", "text").execute();
      await db.schema.alterTable("fg_sessions").addColumn("facilitator_name", "text").execute();
    },
    async down(db: Kysely<any>) {
      for (const column of ["facilitator_name", "facilitator_id", "device_name"]) await db.schema.alterTable("fg_sessions").dropColumn(column).execute();
      await db.schema.dropIndex("collection_links_short_code").execute();
      await db.schema.alterTable("collection_links").dropColumn("short_code").execute();
    },
  };
}
