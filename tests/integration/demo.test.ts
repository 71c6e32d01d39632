// `npm run demo` loads the same demo however often it runs, and its printed accounts work.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { loadDemo } from "../../app/demo/demo.server";
import { findUserByEmail } from "../../app/models/users.server";
import { verifyPassword } from "../../app/models/passwords.server";
import { viewerForApiToken } from "../../app/models/api-tokens.server";
import { listCommunities, listProgrammes } from "../../app/models/programmes.server";
import { getSurvey, getVersion } from "../../app/models/surveys.server";
import { listRounds } from "../../app/models/rounds.server";
import { resolveLink } from "../../app/models/collection-links.server";

describeEachDatabase("the demo", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase(dialect);
  });
  afterAll(async () => t?.drop());

  it("is idempotent and its accounts, roles and token work", async () => {
    const first = await loadDemo(t.db);
    const second = await loadDemo(t.db);
    expect(second.programmeId).toBe(first.programmeId);
    expect(await t.db.selectFrom("programmes").select("id").execute()).toHaveLength(1);
    expect(await t.db.selectFrom("users").select("id").execute()).toHaveLength(3);

    for (const a of second.accounts) {
      const user = await findUserByEmail(t.db, a.email);
      expect(await verifyPassword(user!.password_hash, a.password)).toBe(true);
    }
    expect(await viewerForApiToken(t.db, first.apiToken)).toBeNull(); // replaced by the newer one
    const admin = await viewerForApiToken(t.db, second.apiToken);
    expect(admin?.isAdmin).toBe(true);

    const manager = second.accounts.find((a) => a.key === "manager")!;
    const seen = await listProgrammes(t.db, { id: manager.userId, email: manager.email, displayName: "", isAdmin: false });
    expect(seen.map((p) => [p.id, p.role])).toEqual([[first.programmeId, "manager"]]);
    expect(await listCommunities(t.db, admin!, first.programmeId)).toHaveLength(3);

    // Issue 3 and 4: a published survey from template 1, three rounds, a tablet and a community link.
    expect(second.surveyId).toBe(first.surveyId);
    const survey = await getSurvey(t.db, admin!, first.surveyId);
    expect(survey?.latestVersion).toBe(1);
    expect((await getVersion(t.db, first.surveyId, 1))?.questions.map((q) => q.id)).toContain("safe_after_dark");
    // Follow-up, the fourth round the dashboards' demo data needs, is a custom round.
    expect((await listRounds(t.db, first.programmeId)).map((r) => r.kind)).toEqual(["baseline", "midline", "endline", "custom"]);
    expect(second.tabletToken).toBe(first.tabletToken);
    expect((await resolveLink(t.db, first.tabletToken))?.mode).toBe("kiosk");
    expect((await resolveLink(t.db, first.communityToken))?.mode).toBe("self");
  });
});
