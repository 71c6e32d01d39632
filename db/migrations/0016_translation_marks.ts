import type { Kysely, Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * What each translation was made from: the default-language text of a key when its translation was
 * uploaded, typed or confirmed. A source that differs now marks the translation "needs review".
 */
export function m0016_translation_marks(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("translation_marks")
        .addColumn("survey_id", "text", (c) => c.notNull().references("surveys.id").onDelete("cascade"))
        .addColumn("language", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("marked_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("translation_marks_pk", ["survey_id", "language", "key"])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("translation_marks").execute();
    },
  };
}
