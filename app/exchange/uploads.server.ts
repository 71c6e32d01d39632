// Uploaded import files, kept between the dry run and the import so nobody uploads twice; each is
// deleted once imported or discarded, and any left behind are swept after a day.
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { isoIn, nowIso } from "~db/portable";
import type { Decoded } from "./decode";

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export interface Upload {
  id: string;
  fileName: string;
  text: string;
  encoding: "utf-8" | "windows-1252";
  bom: boolean;
}

export async function saveUpload(db: Kysely<Database>, surveyId: string, userId: string, fileName: string, decoded: Decoded): Promise<string> {
  await db.deleteFrom("import_uploads").where("created_at", "<", isoIn(-24 * 3600_000)).execute();
  const id = randomBytes(16).toString("hex");
  await db
    .insertInto("import_uploads")
    .values({ id, survey_id: surveyId, user_id: userId, file_name: fileName, content: decoded.text, encoding: decoded.encoding, bom: decoded.bom ? 1 : 0, created_at: nowIso() })
    .execute();
  return id;
}

/** Only the person who uploaded the file, for the same survey, gets it back. */
export async function getUpload(db: Kysely<Database>, surveyId: string, userId: string, id: string): Promise<Upload | null> {
  const row = await db
    .selectFrom("import_uploads")
    .selectAll()
    .where("id", "=", id)
    .where("survey_id", "=", surveyId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row ? { id: row.id, fileName: row.file_name, text: row.content, encoding: row.encoding, bom: row.bom === 1 } : null;
}

export async function deleteUpload(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom("import_uploads").where("id", "=", id).execute();
}
