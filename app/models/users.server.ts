// People: accounts, the administrator flag, activation and passwords.
import type { Kysely } from "kysely";
import type { Database, User } from "~db/schema";
import { fromBool, newId, nowIso, toBool } from "~db/portable";
import { hashPassword } from "./passwords.server";

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export interface UserSummary {
  id: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  active: boolean;
  createdAt: string;
}

const summary = (u: Omit<User, "ui_language">): UserSummary => ({
  id: u.id,
  email: u.email,
  displayName: u.display_name,
  isAdmin: fromBool(u.is_admin),
  active: fromBool(u.active),
  createdAt: u.created_at,
});

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

export class EmailTakenError extends Error {
  constructor(public email: string) {
    super(`An account with ${email} already exists.`);
  }
}

export async function createUser(
  db: Kysely<Database>,
  input: { email: string; displayName: string; password: string; isAdmin?: boolean },
): Promise<UserSummary> {
  const email = normaliseEmail(input.email);
  const existing = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
  if (existing) throw new EmailTakenError(email);
  const row = {
    id: newId(),
    email,
    display_name: input.displayName.trim(),
    password_hash: await hashPassword(input.password),
    is_admin: toBool(input.isAdmin ?? false),
    active: 1,
    created_at: nowIso(),
  };
  await db.insertInto("users").values(row).execute();
  return summary(row);
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", normaliseEmail(email)).executeTakeFirst();
}

export async function getUser(db: Kysely<Database>, id: string): Promise<UserSummary | undefined> {
  const u = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  return u && summary(u);
}

export async function listUsers(db: Kysely<Database>): Promise<UserSummary[]> {
  const rows = await db.selectFrom("users").selectAll().orderBy("display_name").orderBy("email").execute();
  return rows.map(summary);
}

/** Deactivating also ends every session and revokes every API token of the user, at once. */
export async function setUserActive(db: Kysely<Database>, id: string, active: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ active: toBool(active) }).where("id", "=", id).execute();
    if (!active) await trx.deleteFrom("sessions").where("user_id", "=", id).execute();
  });
}

export async function setUserAdmin(db: Kysely<Database>, id: string, isAdmin: boolean): Promise<void> {
  await db.updateTable("users").set({ is_admin: toBool(isAdmin) }).where("id", "=", id).execute();
}

export async function updateDisplayName(db: Kysely<Database>, id: string, displayName: string): Promise<void> {
  await db.updateTable("users").set({ display_name: displayName.trim() }).where("id", "=", id).execute();
}

/** A new password ends the user's other sessions. */
export async function setPassword(
  db: Kysely<Database>,
  id: string,
  password: string,
  keepSessionId?: string,
): Promise<void> {
  const password_hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ password_hash }).where("id", "=", id).execute();
    let q = trx.deleteFrom("sessions").where("user_id", "=", id);
    if (keepSessionId) q = q.where("id", "!=", keepSessionId);
    await q.execute();
  });
}
