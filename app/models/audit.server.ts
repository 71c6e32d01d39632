// The audit log: one appended row per data movement or access change. There is no update or
// delete here on purpose (and triggers refuse them): the log can be read, never rewritten.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "~db/schema";
import { nowIso, toJson, fromJson } from "~db/portable";
import type { Viewer } from "./viewer";

import type { AuditAction } from "./audit-actions";
export { AUDIT_ACTIONS, type AuditAction } from "./audit-actions";

export interface AuditInput {
  action: AuditAction;
  programmeId?: string | null;
  surveyId?: string | null;
  /** What was acted on, in words or ids: "response 1b2c…", "user ana@example.org". */
  target?: string;
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorId: string | null;
  actorName: string;
  action: string;
  programmeId: string | null;
  surveyId: string | null;
  target: string;
  details: Record<string, unknown>;
}

/** Appends one entry. Pass the transaction when the audited change has one, so both land together. */
export async function recordAudit(
  db: Kysely<Database> | Transaction<Database>,
  actor: Pick<Viewer, "id" | "displayName" | "email"> | null,
  input: AuditInput,
): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      at: nowIso(),
      actor_id: actor?.id ?? null,
      actor_name: actor ? `${actor.displayName} <${actor.email}>` : "",
      action: input.action,
      programme_id: input.programmeId ?? null,
      survey_id: input.surveyId ?? null,
      target: input.target ?? "",
      details: toJson(input.details ?? {}),
    })
    .execute();
}

/** The newest entries first, optionally of one action (or action family such as "export"). */
export async function listAudit(
  db: Kysely<Database>,
  filter: { action?: string; surveyId?: string; limit?: number; before?: number } = {},
): Promise<AuditEntry[]> {
  let q = db.selectFrom("audit_log").selectAll();
  if (filter.action) {
    q = filter.action.includes(".")
      ? q.where("action", "=", filter.action)
      : q.where("action", "like", `${filter.action}.%`);
  }
  if (filter.surveyId) q = q.where("survey_id", "=", filter.surveyId);
  if (filter.before) q = q.where("id", "<", filter.before);
  const rows = await q.orderBy("id", "desc").limit(filter.limit ?? 200).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    programmeId: r.programme_id,
    surveyId: r.survey_id,
    target: r.target,
    details: fromJson<Record<string, unknown>>(r.details) ?? {},
  }));
}
