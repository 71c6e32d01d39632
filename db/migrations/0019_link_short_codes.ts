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
 */
export function m0019_link_short_codes(_dialect: Dialect): Migration {
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
    },
    async down(db: Kysely<any>) {
      await db.schema.dropIndex("collection_links_short_code").execute();
      await db.schema.alterTable("collection_links").dropColumn("short_code").execute();
    },
  };
}
