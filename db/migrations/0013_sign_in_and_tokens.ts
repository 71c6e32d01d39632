import type { Kysely, Migration } from "kysely";
import type { Dialect } from "../portable";

/** What tokens made before scopes existed may do, and for how long after the upgrade. */
export const UPGRADED_TOKEN_SCOPES = "aggregates";
export const UPGRADED_TOKEN_DAYS = 90;

/**
 * Sign-in attempts take turns per account and address (login_throttle_keys). API tokens get a scope (what they may do, space-separated: aggregates, raw, submit) and an expiry.
 * Tokens made before could do anything their owner could, for ever; they keep reading aggregated
 * figures (what M&E dashboards use them for) for 90 days after the upgrade, and lose raw data and
 * tablet arming: their owners make a new token with the scope they need.
 */
export function m0013_sign_in_and_tokens(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable("api_tokens")
        .addColumn("scopes", "text", (c) => c.notNull().defaultTo(UPGRADED_TOKEN_SCOPES))
        .execute();
      await db.schema.alterTable("api_tokens").addColumn("expires_at", "text").execute();
      const expires = new Date(Date.now() + UPGRADED_TOKEN_DAYS * 24 * 60 * 60 * 1000).toISOString();
      await db.updateTable("api_tokens").set({ expires_at: expires }).where("expires_at", "is", null).execute();

      // One row per account and per network address that has tried to sign in: holding it while
      // counting and storing an attempt makes parallel attempts take turns, in every process.
      await db.schema
        .createTable("login_throttle_keys")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("login_throttle_keys").execute();
      await db.schema.alterTable("api_tokens").dropColumn("expires_at").execute();
      await db.schema.alterTable("api_tokens").dropColumn("scopes").execute();
    },
  };
}
