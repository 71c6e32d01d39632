// Every collection link has a short code that opens it: new links get one, links from before
// migration 0019 get one from it, on both databases; /c/{code} as printed, in lower case or with
// spaces leads to the link's own address, and a code no link has leads nowhere.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aPublishedSurvey } from "../support/fixtures";
import { createLink } from "../../app/models/collection-links.server";
import { m0019_field_app } from "../../db/migrations/0019_field_app";
import { SHORT_CODE_ALPHABET } from "../../app/links/short-code";

const CODE = new RegExp(`^[${SHORT_CODE_ALPHABET}]{8}$`);

describeEachDatabase("collection links' short codes", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  const codes = () => t.db.selectFrom("collection_links").select(["token", "short_code"]).orderBy("created_at").execute();

  it("gives links made before it a code each, unique, from the alphabet without look-alikes", async () => {
    const s = await aPublishedSurvey(t.db, { mode: "self" });
    for (const label of ["Market", "School", "Clinic"]) await createLink(t.db, { surveyId: s.surveyId, mode: "self", label, createdBy: s.facilitator.id });
    // As the table was before 0019: no codes.
    await m0019_field_app(dialect).down!(t.db);
    await m0019_field_app(dialect).up(t.db);
    const rows = await codes();
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(r.short_code).toMatch(CODE);
    expect(new Set(rows.map((r) => r.short_code)).size).toBe(4);
    // Not a letter that reads as a digit or another letter.
    expect(SHORT_CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it("opens its link at /c/{code}, typed as printed, in lower case or with spaces, and keeps the query", async () => {
    const s = await aPublishedSurvey(t.db, { mode: "self" });
    const made = await createLink(t.db, { surveyId: s.surveyId, mode: "self", label: "Bus stop", createdBy: s.facilitator.id });
    expect(made.shortCode).toMatch(CODE);
    const http = new HttpClient(server.url);
    const printed = `${made.shortCode.slice(0, 4)}-${made.shortCode.slice(4)}`;
    for (const typed of [printed, made.shortCode.toLowerCase(), `${made.shortCode.slice(0, 4)}%20${made.shortCode.slice(4)}`]) {
      const res = await http.request(`/c/${typed}?syncEvery=5`);
      expect(res.status, typed).toBe(302);
      expect(res.location).toBe(`/c/${made.token}?syncEvery=5`);
    }
    const page = await http.request(`/c/${made.token}`);
    expect(page.status).toBe(200);
    // A code no link has is answered like any unknown link; the short form never reveals a token.
    const unknown = await http.request(`/c/ZZZZ-ZZZZ`);
    expect(unknown.status).toBe(401);
    expect(unknown.text).not.toContain(made.token);
  });
});
