import { sql, type Kysely, type Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * The indexes on responses' session and link hold only the responses that have one. Most
 * responses have neither (imports, paper, responses without a focus group), and each of those
 * still cost an entry in both indexes on every insert. Every query on them asks for one session
 * or one link (`= ?`), which a partial index WHERE … IS NOT NULL serves on SQLite and PostgreSQL.
 */
export function m0008_sparse_response_indexes(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await sql`DROP INDEX responses_session`.execute(db);
      await sql`DROP INDEX responses_link`.execute(db);
      await sql`CREATE INDEX responses_session ON responses (session_id) WHERE session_id IS NOT NULL`.execute(db);
      await sql`CREATE INDEX responses_link ON responses (link_id) WHERE link_id IS NOT NULL`.execute(db);
    },
    async down(db: Kysely<any>) {
      await sql`DROP INDEX responses_session`.execute(db);
      await sql`DROP INDEX responses_link`.execute(db);
      await sql`CREATE INDEX responses_session ON responses (session_id)`.execute(db);
      await sql`CREATE INDEX responses_link ON responses (link_id)`.execute(db);
    },
  };
}
