// First run: the one-time code that lets a person at the server's console create the first
// administrator in the browser. Only its hash is stored (in app_settings, so every server process
// on the database shares it); it is used up by the first administrator, atomically.
import { randomInt } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { sha256 } from "./sessions.server";
import { recordAudit } from "./audit.server";
import { countUsers, createUser, type UserSummary } from "./users.server";

const KEY = "setup_code_sha256";
// Crockford's base32 without look-alikes: 12 characters are 60 bits, out of reach of guessing online.
const ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
const LENGTH = 12;

/** Upper-case, without the spaces and dashes a person may type between groups. */
export const normaliseSetupCode = (code: string) => code.toUpperCase().replace(/[\s-]+/g, "");

/**
 * A new setup code while the installation has no account yet, or null once it has one. Each start
 * issues a fresh code and the previous one stops working, so the code in the latest console is
 * the one to use.
 */
export async function issueSetupCode(db: Kysely<Database>): Promise<string | null> {
  if ((await countUsers(db)) > 0) {
    await db.deleteFrom("app_settings").where("key", "=", KEY).execute();
    return null;
  }
  let code = "";
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  const value = sha256(code);
  await db
    .insertInto("app_settings")
    .values({ key: KEY, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
  return code.match(/.{4}/g)!.join("-");
}

export type SetupOutcome = { ok: true; user: UserSummary } | { ok: false; reason: "code" | "done" };

/**
 * Creates the first administrator if `code` is the current setup code and no account exists yet.
 * The code is deleted in the same transaction that creates the account, so of any number of
 * parallel attempts with the right code exactly one succeeds.
 */
export async function createFirstAdministrator(
  db: Kysely<Database>,
  code: string,
  input: { email: string; displayName: string; password: string },
): Promise<SetupOutcome> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .deleteFrom("app_settings")
      .where("key", "=", KEY)
      .where("value", "=", sha256(normaliseSetupCode(code)))
      .executeTakeFirst();
    if (Number(claimed.numDeletedRows) !== 1) return { ok: false, reason: (await countUsers(trx)) > 0 ? "done" : "code" } as const;
    if ((await countUsers(trx)) > 0) return { ok: false, reason: "done" } as const;
    const user = await createUser(trx, { ...input, isAdmin: true });
    await recordAudit(trx, null, { action: "user.create", target: user.email, details: { isAdmin: true, via: "setup page" } });
    return { ok: true, user } as const;
  });
}
