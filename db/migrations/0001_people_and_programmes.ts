import { sql, type Kysely, type Migration } from "kysely";
import { columns, type Dialect } from "../portable";

export function m0001_people_and_programmes(dialect: Dialect): Migration {
  const c = columns(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("users")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("email", "text", (col) => col.notNull().unique())
        .addColumn("display_name", "text", (col) => col.notNull())
        .addColumn("password_hash", "text", (col) => col.notNull())
        .addColumn("is_admin", "integer", c.bool)
        .addColumn("active", "integer", (col) => col.notNull().defaultTo(1))
        .addColumn("created_at", "text", (col) => col.notNull())
        .execute();

      await db.schema
        .createTable("programmes")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("name", "text", (col) => col.notNull())
        .addColumn("country", "text", (col) => col.notNull().defaultTo(""))
        .addColumn("description", "text", (col) => col.notNull().defaultTo(""))
        .addColumn("min_cell_size", "integer", (col) => col.notNull().defaultTo(5))
        .addColumn("created_at", "text", (col) => col.notNull())
        .execute();

      await db.schema
        .createTable("communities")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("programme_id", "text", (col) =>
          col.notNull().references("programmes.id").onDelete("cascade"),
        )
        .addColumn("name", "text", (col) => col.notNull())
        .addColumn("region", "text", (col) => col.notNull().defaultTo(""))
        .addColumn("created_at", "text", (col) => col.notNull())
        .addUniqueConstraint("communities_programme_name", ["programme_id", "name"])
        .execute();

      await db.schema
        .createTable("memberships")
        .addColumn("user_id", "text", (col) => col.notNull().references("users.id").onDelete("cascade"))
        .addColumn("programme_id", "text", (col) =>
          col.notNull().references("programmes.id").onDelete("cascade"),
        )
        .addColumn("role", "text", (col) => col.notNull().check(sql`role in ('facilitator','manager')`))
        .addColumn("created_at", "text", (col) => col.notNull())
        .addPrimaryKeyConstraint("memberships_pk", ["user_id", "programme_id"])
        .execute();
      await db.schema
        .createIndex("memberships_programme")
        .on("memberships")
        .column("programme_id")
        .execute();

      await db.schema
        .createTable("sessions")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("user_id", "text", (col) => col.notNull().references("users.id").onDelete("cascade"))
        .addColumn("csrf_token", "text", (col) => col.notNull())
        .addColumn("created_at", "text", (col) => col.notNull())
        .addColumn("expires_at", "text", (col) => col.notNull())
        .addColumn("last_seen_at", "text", (col) => col.notNull())
        .execute();
      await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

      await db.schema
        .createTable("api_tokens")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("user_id", "text", (col) => col.notNull().references("users.id").onDelete("cascade"))
        .addColumn("name", "text", (col) => col.notNull())
        .addColumn("token_hash", "text", (col) => col.notNull().unique())
        .addColumn("prefix", "text", (col) => col.notNull())
        .addColumn("created_at", "text", (col) => col.notNull())
        .addColumn("last_used_at", "text")
        .addColumn("revoked_at", "text")
        .execute();

      await c
        .serial(db.schema.createTable("login_attempts"), "id")
        .addColumn("email", "text", (col) => col.notNull())
        .addColumn("address", "text", (col) => col.notNull())
        .addColumn("succeeded", "integer", c.bool)
        .addColumn("at", "text", (col) => col.notNull())
        .execute();
      await db.schema.createIndex("login_attempts_email").on("login_attempts").columns(["email", "at"]).execute();
      await db.schema
        .createIndex("login_attempts_address")
        .on("login_attempts")
        .columns(["address", "at"])
        .execute();

      await db.schema
        .createTable("app_settings")
        .addColumn("key", "text", (col) => col.primaryKey())
        .addColumn("value", "text", (col) => col.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of [
        "app_settings",
        "login_attempts",
        "api_tokens",
        "sessions",
        "memberships",
        "communities",
        "programmes",
        "users",
      ])
        await db.schema.dropTable(t).execute();
    },
  };
}
