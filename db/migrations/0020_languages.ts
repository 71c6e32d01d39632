import { sql, type Kysely, type Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * Languages: each person's choice of language for the staff pages (null: the browser's), names of
 * communities and rounds in the survey languages (JSON text {"ar": "…", "fr": "…"}, for pages
 * communities read), and whether a session's group label may be shown to respondents (it is a
 * facilitator's note, "women 18–35", until marked public).
 */
export function m0020_languages(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable("users").addColumn("ui_language", "text").execute();
      await db.schema.alterTable("communities").addColumn("name_translations", "text", (c) => c.notNull().defaultTo(sql`'{}'`)).execute();
      await db.schema.alterTable("rounds").addColumn("name_translations", "text", (c) => c.notNull().defaultTo(sql`'{}'`)).execute();
      await db.schema.alterTable("fg_sessions").addColumn("group_public", "integer", (c) => c.notNull().defaultTo(0)).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable("fg_sessions").dropColumn("group_public").execute();
      await db.schema.alterTable("rounds").dropColumn("name_translations").execute();
      await db.schema.alterTable("communities").dropColumn("name_translations").execute();
      await db.schema.alterTable("users").dropColumn("ui_language").execute();
    },
  };
}
