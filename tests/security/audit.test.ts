// An administrator and a facilitator change a programme — its name, its minimum cell size, its
// communities, rounds and members — and each change is in the audit log an administrator reads,
// with who made it and what it was before.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aProgramme, aUser } from "../support/fixtures";
import { listAudit } from "../../app/models/audit.server";

describe("programme, community and membership changes are audited", () => {
  let t: TestDb;
  let server: RunningServer;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    server = await startServer(t);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("each change is an entry on the audit page, with who and old → new", async () => {
    const admin = await aUser(t.db, "Audit Admin", { admin: true });
    const facilitator = await aUser(t.db, "Audit Facilitator");
    const other = await aUser(t.db, "Audit Manager");
    const web = new HttpClient(server.url);
    await web.signIn(admin.email, admin.password);

    const created = await web.submit("/admin", { intent: "create-programme", name: "Coastal safety", country: "Kenya", description: "", minCellSize: "5" });
    expect(created.status).toBe(302);
    const programmePath = created.location!;
    const programmeId = programmePath.split("/").pop()!;
    const post = async (fields: Record<string, string>) => {
      const reply = await web.submit(programmePath, fields);
      expect(reply.status, JSON.stringify(fields)).toBeLessThan(400);
      return reply;
    };
    await post({ intent: "update-programme", name: "Coastal safety 2026", country: "Kenya", description: "Mombasa wards", minCellSize: "4" });
    await post({ intent: "add-community", name: "Likoni", region: "Coast" });
    await post({ intent: "set-member", email: facilitator.email, role: "facilitator" });
    await post({ intent: "set-member", email: other.email, role: "manager" });
    await post({ intent: "remove-member", userId: other.id });
    await post({ intent: "add-round", name: "Baseline", kind: "baseline", startsOn: "2026-01-01", endsOn: "2026-03-31" });
    const round = await t.db.selectFrom("rounds").select("id").where("programme_id", "=", programmeId).executeTakeFirstOrThrow();
    await post({ intent: "delete-round", roundId: round.id });

    // The facilitator raises the minimum cell size on the same page.
    const fac = new HttpClient(server.url);
    await fac.signIn(facilitator.email, facilitator.password);
    expect((await fac.submit(programmePath, { intent: "set-min-cell-size", minCellSize: "10" })).status).toBe(200);

    const entries = (await listAudit(t.db, {})).filter((e) => e.programmeId === programmeId);
    const byAction = new Map(entries.map((e) => [e.action, e]));
    expect([...byAction.keys()].sort()).toEqual(
      ["community.create", "membership.remove", "membership.set", "programme.create", "programme.min_cell_size", "programme.update", "round.create", "round.delete"].sort(),
    );
    expect(byAction.get("programme.update")).toMatchObject({
      actorId: admin.id,
      details: { name: { from: "Coastal safety", to: "Coastal safety 2026" }, description: { from: "", to: "Mombasa wards" } },
    });
    expect(entries.filter((e) => e.action === "programme.min_cell_size").map((e) => [e.actorId, e.details])).toEqual([
      [facilitator.id, { from: 4, to: 10 }],
      [admin.id, { from: 5, to: 4 }],
    ]);
    expect(byAction.get("membership.remove")).toMatchObject({ target: `user ${other.email}`, details: { role: "manager" } });
    expect(byAction.get("community.create")!.target).toContain("Likoni");

    // What the administrator sees.
    const page = await web.get("/admin/audit?action=programme");
    expect(page.status).toBe(200);
    expect(page.text).toContain("programme.update");
    const details = [...page.text.matchAll(/<td class="details">(.*?)<\/td>/g)].map((m) => m[1]);
    expect(details, JSON.stringify(details)).toContain("name: Coastal safety → Coastal safety 2026 · description:  → Mombasa wards");
    const rounds = await web.get("/admin/audit?action=round");
    expect(rounds.text).toContain("round.delete");
    expect(rounds.text).toContain("Baseline");
  });

  it("a refused change leaves no entry", async () => {
    const facilitator = await aUser(t.db, "Refused Facilitator");
    const programme = await aProgramme(t.db, "Refusals", [{ userId: facilitator.id, role: "facilitator" }]);
    const before = (await listAudit(t.db, {})).length;
    const web = new HttpClient(server.url);
    await web.signIn(facilitator.email, facilitator.password);
    expect((await web.submit(`/programmes/${programme.id}`, { intent: "set-min-cell-size", minCellSize: "3" })).status).toBe(400);
    expect((await web.submit(`/programmes/${programme.id}`, { intent: "add-community", name: "Sneaky", region: "" })).status).toBe(403);
    expect((await listAudit(t.db, {})).length).toBe(before);
  });
});
