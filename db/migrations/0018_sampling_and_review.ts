import type { Kysely, Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * How a programme's responses were sampled, which decides its intervals: "auto" (clustered by
 * community once responses come from more than one), "simple" (a simple random sample) or
 * "community" (clustered by community always).
 */
export function m0018_sampling_and_review(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable("programmes").addColumn("sampling", "text", (c) => c.notNull().defaultTo("auto")).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable("programmes").dropColumn("sampling").execute();
    },
  };
}
