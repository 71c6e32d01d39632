// Programmes, their communities and who belongs to them. Every read takes the viewer and checks
// membership inside the query: a programme the viewer is not a member of is simply not found.
import type { Kysely, SelectQueryBuilder, Transaction } from "kysely";
import type { Database, Role } from "~db/schema";
import { newId, nowIso } from "~db/portable";
import type { Viewer } from "./viewer";
import { recordAudit } from "./audit.server";
import { minCellSizeProblem, SAMPLING_LABELS, type Sampling } from "./programme-forms";

export interface ProgrammeSummary {
  id: string;
  name: string;
  country: string;
  description: string;
  minCellSize: number;
  sampling: Sampling;
  createdAt: string;
  /** The viewer's role; administrators who are not members see null. */
  role: Role | null;
  communityCount: number;
}

export interface CommunitySummary {
  id: string;
  programmeId: string;
  name: string;
  region: string;
}

export interface MemberSummary {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  active: boolean;
}

/** Restricts a query on `programmes` to those the viewer may see. */
export function visibleProgrammes<O>(
  query: SelectQueryBuilder<Database, "programmes", O>,
  viewer: Viewer,
): SelectQueryBuilder<Database, "programmes", O> {
  if (viewer.isAdmin) return query;
  return query.where((eb) =>
    eb.exists(
      eb
        .selectFrom("memberships")
        .select("memberships.user_id")
        .whereRef("memberships.programme_id", "=", "programmes.id")
        .where("memberships.user_id", "=", viewer.id),
    ),
  );
}

function programmeQuery(db: Kysely<Database>, viewer: Viewer) {
  return visibleProgrammes(
    db
      .selectFrom("programmes")
      .select((eb) => [
        "programmes.id",
        "programmes.name",
        "programmes.country",
        "programmes.description",
        "programmes.min_cell_size",
        "programmes.sampling",
        "programmes.created_at",
        eb
          .selectFrom("memberships")
          .select("memberships.role")
          .whereRef("memberships.programme_id", "=", "programmes.id")
          .where("memberships.user_id", "=", viewer.id)
          .as("role"),
        eb
          .selectFrom("communities")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("communities.programme_id", "=", "programmes.id")
          .as("community_count"),
      ]),
    viewer,
  );
}

type ProgrammeRow = {
  id: string;
  name: string;
  country: string;
  description: string;
  min_cell_size: number;
  sampling: string;
  created_at: string;
  role: Role | null;
  community_count: number | null;
};

const toSummary = (r: ProgrammeRow): ProgrammeSummary => ({
  id: r.id,
  name: r.name,
  country: r.country,
  description: r.description,
  minCellSize: Number(r.min_cell_size),
  sampling: r.sampling in SAMPLING_LABELS ? (r.sampling as Sampling) : "auto",
  createdAt: r.created_at,
  role: r.role ?? null,
  communityCount: Number(r.community_count ?? 0),
});

export async function listProgrammes(db: Kysely<Database>, viewer: Viewer): Promise<ProgrammeSummary[]> {
  const rows = await programmeQuery(db, viewer).orderBy("programmes.name").execute();
  return rows.map(toSummary);
}

export async function getProgramme(
  db: Kysely<Database>,
  viewer: Viewer,
  id: string,
): Promise<ProgrammeSummary | undefined> {
  const row = await programmeQuery(db, viewer).where("programmes.id", "=", id).executeTakeFirst();
  return row && toSummary(row);
}

export async function createProgramme(
  db: Kysely<Database>,
  input: { name: string; country: string; description: string; minCellSize: number },
): Promise<string> {
  // Creating a programme is an administrator's job (or a script's): only the floor applies.
  const problem = minCellSizeProblem(input.minCellSize, true);
  if (problem) throw new MinCellSizeError(problem);
  const id = newId();
  await db
    .insertInto("programmes")
    .values({
      id,
      name: input.name.trim(),
      country: input.country.trim(),
      description: input.description.trim(),
      min_cell_size: input.minCellSize,
      created_at: nowIso(),
    })
    .execute();
  return id;
}

/** A minimum cell size this person may not set; `field` names the form field. */
export class MinCellSizeError extends Error {
  readonly field = "minCellSize";
}

/** Name, country and description, and the minimum cell size through the same rule and audit as setMinCellSize. */
export async function updateProgramme(
  db: Kysely<Database>,
  actor: Viewer,
  id: string,
  input: { name: string; country: string; description: string; minCellSize: number },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("programmes").select(["name", "country", "description"]).where("id", "=", id).executeTakeFirst();
    const after = { name: input.name.trim(), country: input.country.trim(), description: input.description.trim() };
    await trx.updateTable("programmes").set(after).where("id", "=", id).execute();
    // What changed, old → new, written with the change itself (the minimum cell size has its own entry).
    const changed = before ? (Object.keys(after) as (keyof typeof after)[]).filter((k) => before[k] !== after[k]) : [];
    if (changed.length)
      await recordAudit(trx, actor, {
        action: "programme.update",
        programmeId: id,
        target: `programme “${after.name}”`,
        details: Object.fromEntries(changed.map((k) => [k, { from: before![k], to: after[k] }])),
      });
    await applyMinCellSize(trx, actor, id, input.minCellSize);
  });
}

/**
 * Sets a programme's minimum cell size: never below 3, below 5 only by an administrator, and
 * only by an administrator or one of the programme's facilitators. Every change is written to
 * the audit log (old → new, who) in the same transaction. Throws MinCellSizeError, changing
 * nothing, when the value or the person may not.
 */
export async function setMinCellSize(
  db: Kysely<Database>,
  actor: Viewer,
  programmeId: string,
  value: number,
): Promise<{ from: number; to: number }> {
  return db.transaction().execute((trx) => applyMinCellSize(trx, actor, programmeId, value));
}

async function applyMinCellSize(trx: Transaction<Database>, actor: Viewer, programmeId: string, value: number) {
  const problem = minCellSizeProblem(value, actor.isAdmin);
  if (problem) throw new MinCellSizeError(problem);
  const row = await trx.selectFrom("programmes").select(["name", "min_cell_size"]).where("id", "=", programmeId).executeTakeFirst();
  if (!row) throw new MinCellSizeError("There is no such programme.");
  if (!actor.isAdmin && (await roleIn(trx, actor, programmeId)) !== "facilitator")
    throw new MinCellSizeError("Only the programme's facilitators and administrators can change the minimum cell size.");
  const from = Number(row.min_cell_size);
  if (from !== value) {
    await trx.updateTable("programmes").set({ min_cell_size: value }).where("id", "=", programmeId).execute();
    await recordAudit(trx, actor, { action: "programme.min_cell_size", programmeId, target: `programme “${row.name}”`, details: { from, to: value } });
  }
  return { from, to: value };
}

/**
 * Sets how a programme's responses were sampled (which decides its intervals), by an administrator
 * or one of the programme's facilitators, audited old → new in the same transaction.
 */
export async function setSampling(db: Kysely<Database>, actor: Viewer, programmeId: string, value: Sampling): Promise<{ from: Sampling; to: Sampling }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("programmes").select(["name", "sampling"]).where("id", "=", programmeId).executeTakeFirst();
    if (!row) throw new SamplingError("There is no such programme.");
    if (!actor.isAdmin && (await roleIn(trx, actor, programmeId)) !== "facilitator")
      throw new SamplingError("Only the programme's facilitators and administrators can change how its sample is described.");
    const from = (row.sampling in SAMPLING_LABELS ? row.sampling : "auto") as Sampling;
    if (from !== value) {
      await trx.updateTable("programmes").set({ sampling: value }).where("id", "=", programmeId).execute();
      await recordAudit(trx, actor, { action: "programme.sampling", programmeId, target: `programme “${row.name}”`, details: { from, to: value } });
    }
    return { from, to: value };
  });
}

/** A sampling description this person may not set; `field` names the form field. */
export class SamplingError extends Error {
  readonly field = "sampling";
}

/** Communities of a programme the viewer may see (empty when they may not). */
export async function listCommunities(
  db: Kysely<Database>,
  viewer: Viewer,
  programmeId: string,
): Promise<CommunitySummary[]> {
  let q = db
    .selectFrom("communities")
    .innerJoin("programmes", "programmes.id", "communities.programme_id")
    .select(["communities.id", "communities.programme_id", "communities.name", "communities.region"])
    .where("communities.programme_id", "=", programmeId);
  if (!viewer.isAdmin)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("memberships")
          .select("memberships.user_id")
          .whereRef("memberships.programme_id", "=", "communities.programme_id")
          .where("memberships.user_id", "=", viewer.id),
      ),
    );
  const rows = await q.orderBy("communities.name").execute();
  return rows.map((r) => ({ id: r.id, programmeId: r.programme_id, name: r.name, region: r.region }));
}

export class DuplicateCommunityError extends Error {
  constructor(name: string) {
    super(`This programme already has a community called "${name}".`);
  }
}

export async function createCommunity(
  db: Kysely<Database>,
  input: { programmeId: string; name: string; region: string },
): Promise<string> {
  const name = input.name.trim();
  const clash = await db
    .selectFrom("communities")
    .select("id")
    .where("programme_id", "=", input.programmeId)
    .where("name", "=", name)
    .executeTakeFirst();
  if (clash) throw new DuplicateCommunityError(name);
  const id = newId();
  await db
    .insertInto("communities")
    .values({ id, programme_id: input.programmeId, name, region: input.region.trim(), created_at: nowIso() })
    .execute();
  return id;
}

export async function listMembers(db: Kysely<Database>, programmeId: string): Promise<MemberSummary[]> {
  const rows = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id", "users.email", "users.display_name", "users.active", "memberships.role"])
    .where("memberships.programme_id", "=", programmeId)
    .orderBy("users.display_name")
    .execute();
  return rows.map((r) => ({
    userId: r.id,
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    active: Number(r.active) === 1,
  }));
}

/** Adds a member or changes their role. */
export async function setMembership(
  db: Kysely<Database>,
  input: { userId: string; programmeId: string; role: Role },
): Promise<void> {
  await db
    .insertInto("memberships")
    .values({ user_id: input.userId, programme_id: input.programmeId, role: input.role, created_at: nowIso() })
    .onConflict((oc) => oc.columns(["user_id", "programme_id"]).doUpdateSet({ role: input.role }))
    .execute();
}

export async function removeMembership(db: Kysely<Database>, userId: string, programmeId: string): Promise<void> {
  await db
    .deleteFrom("memberships")
    .where("user_id", "=", userId)
    .where("programme_id", "=", programmeId)
    .execute();
}

/** The viewer's role in a programme: "admin" for administrators, null for non-members. */
export async function roleIn(
  db: Kysely<Database>,
  viewer: Viewer,
  programmeId: string,
): Promise<Role | "admin" | null> {
  if (viewer.isAdmin) return "admin";
  const row = await db
    .selectFrom("memberships")
    .select("role")
    .where("user_id", "=", viewer.id)
    .where("programme_id", "=", programmeId)
    .executeTakeFirst();
  return row?.role ?? null;
}
