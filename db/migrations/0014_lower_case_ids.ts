import { sql, type Kysely, type Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * Ids made on devices are compared in lower case from now on (the same UUID in capitals is the
 * same response or session). Ids stored in capitals before are written in lower case, unless the
 * lower-case id is already stored too (then both stay as they were: nothing is merged or lost).
 */
export function m0014_lower_case_ids(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      for (const table of ["responses", "fg_sessions", "refusals"]) {
        await sql`update ${sql.table(table)} set id = lower(id)
          where id <> lower(id) and not exists (select 1 from ${sql.table(table)} twin where twin.id = lower(${sql.ref(`${table}.id`)}))`.execute(db);
      }
      // References to sessions follow the sessions that were renamed.
      for (const table of ["responses", "refusals"]) {
        await sql`update ${sql.table(table)} set session_id = lower(session_id)
          where session_id <> lower(session_id) and exists (select 1 from fg_sessions s where s.id = lower(${sql.ref(`${table}.session_id`)}))`.execute(db);
      }
    },
    async down() {
      // Nothing to undo: lower-case ids are valid ids for the earlier code too.
    },
  };
}
