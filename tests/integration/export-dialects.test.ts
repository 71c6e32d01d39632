// A facilitator moves a programme from KoboToolbox, KoBoCAT, ODK Central or Briefcase (or from an
// analyst's R session) and uploads the export as the tool wrote it (tests/fixtures/exports): every
// file imports through the Data page without mapping a single column, each row dated by its own
// interview, and importing it again, under another name, or with the other id column adds nothing.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aMarketSurvey, importThroughPage } from "../support/exchange";
import { createRound } from "../../app/models/rounds.server";
import { idInSurvey } from "../../app/models/response-checks";
import type { Database } from "../../db/schema";

const FIXTURES = path.resolve("tests/fixtures/exports");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

const U1 = "6f1c0b4e-2a47-4d8e-9b3a-1c2d3e4f5a61";
const U2 = "7a2d1c5f-3b58-4e9f-8c4b-2d3e4f5a6b72";
const U3 = "8b3e2d60-4c69-4fa0-9d5c-3e4f5a6b7c83";
/** What each fixture's three submissions say, in the survey's codes. */
const EXPECTED: Record<string, Record<string, unknown>> = {
  [U1]: { safe_market: "2", threats: ["theft", "gangs"], top_threats: ["gangs", "theft"], visits: 4, reported: "0", comment: "Busy on market day", gender: "woman" },
  [U2]: { safe_market: "4", threats: ["harassment"], top_threats: ["harassment"], visits: 1, reported: "1", reported_to: "police", gender: "man" },
  [U3]: { safe_market: "99", reported: "0", gender: "woman" },
};

interface PageReport {
  status: number;
  rows: number;
  valid: number;
  duplicates: number;
  problems: number;
  html: string;
}

/** The counts the Data page shows for a dry run or an import. */
function readReport(status: number, html: string): PageReport {
  const count = (label: string) => {
    const m = new RegExp(`<strong>(\\d+)</strong>\\s*(?:<!-- -->)?\\s*${label}`).exec(html);
    if (!m) throw new Error(`no "${label}" count on the page (status ${status}): ${html.slice(0, 400)}`);
    return Number(m[1]);
  };
  return { status, html, rows: count("rows read"), valid: count("(?:can be imported|imported)"), duplicates: count("already stored"), problems: count("with problems"), };
}

/** Uploads a file on the Data page (a dry run), then imports it: both reports as the page shows them. */
async function uploadAndImport(db: Kysely<Database>, web: HttpClient, surveyId: string, fileName: string, bytes: Uint8Array) {
  const { dry, done } = await importThroughPage(web, db, surveyId, { name: fileName, body: Buffer.from(bytes) });
  return { dry: readReport(dry.status, dry.text), done: readReport(done!.status, done!.text) };
}

const decodeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, "&");

async function storedOf(db: Kysely<Database>, surveyId: string) {
  const rows = await db.selectFrom("responses").select(["id", "answers", "collected_at"]).where("survey_id", "=", surveyId).orderBy("collected_at").execute();
  return rows.map((r) => ({ id: r.id, answers: JSON.parse(r.answers) as Record<string, unknown>, collectedAt: r.collected_at }));
}

describeEachDatabase("other tools' exports", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  /** Surveys holding each fixture uuid under its own id: the first to import it. */
  const firstHolder = new Map<string, string>();
  /** Every fixture shares its uuids: the first survey keeps them, the others derive their own. */
  const idFor = (surveyId: string, uuid: string) => {
    if (!firstHolder.has(uuid)) firstHolder.set(uuid, surveyId);
    return firstHolder.get(uuid) === surveyId ? uuid : idInSurvey(surveyId, uuid);
  };

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  /** A market survey whose programme has a 2025 round beside its 2026 baseline, and its facilitator signed in. */
  async function aSurveyWithTwoRounds() {
    const s = await aMarketSurvey(t.db);
    const earlier = await createRound(t.db, { programmeId: s.programme.id, name: `Pilot ${s.surveyId.slice(0, 4)}`, kind: "custom", startsOn: "2025-01-01", endsOn: "2025-12-31" });
    const web = new HttpClient(server.url);
    await web.signIn(s.facilitator.email, s.facilitator.password);
    return { ...s, earlier, web };
  }

  const dialects: { file: string; tool: string; delimiter: string; metadata: string[]; hxl?: boolean; dates: string[] }[] = [
    {
      file: "kobo-xml-semicolon-hxl.csv",
      tool: "KoboToolbox (XML names, ';', HXL row)",
      delimiter: "semicolon-separated",
      metadata: ["start", "today", "deviceid", "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index"],
      hxl: true,
      dates: ["2025-06-15T11:30:00.000Z", "2026-03-10T06:07:00.000Z", "2026-03-11T07:15:00.000Z"],
    },
    {
      file: "kobo-labels-fr.csv",
      tool: "KoboToolbox (French labels)",
      delimiter: "comma-separated",
      metadata: ["start", "_id", "_submission_time", "_validation_status", "_index"],
      dates: ["2025-06-15T11:30:00.000Z", "2026-03-10T06:07:00.000Z", "2026-03-11T07:15:00.000Z"],
    },
    {
      file: "kobo-dot-groups.csv",
      tool: "KoboToolbox ('.' groups)",
      delimiter: "semicolon-separated",
      metadata: ["start", "_id", "_uuid", "_submission_time", "_index"],
      dates: ["2025-06-15T11:30:00.000Z", "2026-03-10T06:07:00.000Z", "2026-03-11T07:15:00.000Z"],
    },
    {
      file: "kobocat-legacy.csv",
      tool: "KoBoCAT legacy (n/a, True/False)",
      delimiter: "comma-separated",
      metadata: ["_uuid", "_parent_table_name", "_version", "_duration", "_xform_id_string", "formhub/uuid"],
      dates: ["2025-06-15T11:30:00.000Z", "2026-03-10T06:07:00.000Z", "2026-03-11T07:15:00.000Z"],
    },
    {
      file: "odk-central-submissions.csv",
      tool: "ODK Central submissions.csv",
      delimiter: "comma-separated",
      metadata: ["KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"],
      dates: ["2025-06-15T11:30:00.000Z", "2026-03-10T06:07:00.000Z", "2026-03-11T07:15:00.000Z"],
    },
    {
      file: "odk-briefcase.csv",
      tool: "ODK Briefcase",
      delimiter: "comma-separated",
      metadata: ["SubmissionDate", "start", "KEY"],
      dates: ["2025-06-15T11:30:00.000Z", "2026-03-10T06:07:00.000Z", "2026-03-11T07:15:00.000Z"],
    },
    {
      file: "r-processed.csv",
      tool: "R (read.csv / write.csv)",
      delimiter: "comma-separated",
      metadata: ["X_id", "X_uuid", "X_submission_time", "X_validation_status", "X_index"],
      dates: ["2025-06-15T11:30:00.000Z", "2026-03-10T06:07:00.000Z", "2026-03-11T07:15:00.000Z"],
    },
  ];

  for (const d of dialects) {
    it(`imports ${d.tool} without mapping, each row in its own round, and a second upload adds nothing`, async () => {
      const s = await aSurveyWithTwoRounds();
      const bytes = fixture(d.file);
      const { dry, done } = await uploadAndImport(t.db, s.web, s.surveyId, d.file, bytes);
      expect(dry.status).toBe(200);
      expect(dry).toMatchObject({ rows: 3, valid: 3, duplicates: 0, problems: 0 });
      const html = decodeHtml(dry.html);
      expect(html).not.toMatch(/match no question/);
      expect(html).toContain(d.delimiter);
      for (const m of d.metadata) expect(html, m).toContain(`"${m}"`);
      if (d.hxl) expect(html).toContain("Row 2 holds HXL hashtags");
      expect(done).toMatchObject({ status: 200, valid: 3, problems: 0 });

      const stored = await storedOf(t.db, s.surveyId);
      expect(stored.map((r) => r.collectedAt)).toEqual(d.dates);
      const byDate = new Map(stored.map((r) => [r.collectedAt, r]));
      // The tool's uuid is the response id (or, once another survey holds it, the id derived from
      // it for this survey); the answers are the survey's codes.
      expect(byDate.get("2026-03-10T06:07:00.000Z")).toEqual({ id: idFor(s.surveyId, U1), answers: EXPECTED[U1], collectedAt: "2026-03-10T06:07:00.000Z" });
      expect(byDate.get("2026-03-11T07:15:00.000Z")).toMatchObject({ id: idFor(s.surveyId, U2), answers: EXPECTED[U2] });
      expect(byDate.get("2025-06-15T11:30:00.000Z")).toMatchObject({ id: idFor(s.surveyId, U3), answers: EXPECTED[U3] });

      // The dashboard places each row by its own date: the 2025 row in the pilot, the others in the baseline.
      const series = await s.web.get(`/api/v1/surveys/${s.surveyId}/indicators/feel_safe_market/series`);
      expect(series.status).toBe(200);
      const periods = series.json<{ points: { periodLabel: string }[] }>().points.map((p) => p.periodLabel);
      expect(periods).toHaveLength(2);

      const again = await uploadAndImport(t.db, s.web, s.surveyId, d.file, bytes);
      expect(again.dry).toMatchObject({ rows: 3, valid: 0, duplicates: 3 });
      const renamed = await uploadAndImport(t.db, s.web, s.surveyId, `copy of ${d.file}`, bytes);
      expect(renamed.done).toMatchObject({ valid: 0, duplicates: 3 });
      expect(await storedOf(t.db, s.surveyId)).toHaveLength(3);
    });
  }

  describe("one submission, one id", () => {
    it("Kobo's meta/instanceID (uuid:…) and _uuid, ODK's KEY and R's X_uuid name the same response", async () => {
      const s = await aSurveyWithTwoRounds();
      const only = (file: string, keep: (h: string) => boolean) => {
        const lines = fixture(file).toString("utf8").trimEnd().split(/\r?\n/);
        const sep = lines[0].includes(";") ? ";" : ",";
        const split = (l: string) => l.match(/("([^"]|"")*"|[^,;]*)(?=[,;]|$)/g)!.filter((_, i, all) => i % 2 === 0 || all[i - 1] !== "");
        const header = split(lines[0]);
        const kept = header.map((h, i) => (keep(h.replace(/"/g, "")) ? i : -1)).filter((i) => i >= 0);
        return Buffer.from(lines.map((l) => kept.map((i) => split(l)[i]).join(sep)).join("\n"));
      };
      const first = await uploadAndImport(t.db, s.web, s.surveyId, "with-uuid.csv", only("kobo-dot-groups.csv", (h) => h !== "meta.instanceID"));
      expect(first.done).toMatchObject({ valid: 3 });
      const viaInstanceId = await uploadAndImport(t.db, s.web, s.surveyId, "with-instance-id.csv", only("kobo-dot-groups.csv", (h) => h !== "_uuid"));
      expect(viaInstanceId.dry).toMatchObject({ valid: 0, duplicates: 3 });
      expect((await storedOf(t.db, s.surveyId)).map((r) => r.id).sort()).toEqual([U1, U2, U3].map((u) => idFor(s.surveyId, u)).sort());
    });

    it("a file without an id column gets ids from its rows' content: the same rows under another name, or reordered, are duplicates", async () => {
      const s = await aSurveyWithTwoRounds();
      const head = "safe_market,reported,gender,collected_at";
      const rows = ["2,0,woman,2026-03-10", "2,0,woman,2026-03-10", "4,1,man,2026-03-11"];
      // reported=1 needs reported_to: give it.
      const file = (order: string[]) => new TextEncoder().encode([`${head},reported_to`, ...order.map((r) => (r.includes(",1,") ? `${r},police` : `${r},`))].join("\n"));
      const first = await uploadAndImport(t.db, s.web, s.surveyId, "paper-week-1.csv", file(rows));
      // Two identical paper forms are two responses.
      expect(first.done).toMatchObject({ valid: 3 });
      const renamed = await uploadAndImport(t.db, s.web, s.surveyId, "paper-week-1 (final).csv", file([rows[2], rows[0], rows[1]]));
      expect(renamed.dry).toMatchObject({ valid: 0, duplicates: 3 });
      expect(await storedOf(t.db, s.surveyId)).toHaveLength(3);
    });
  });

  it("reads an Excel workbook (.xlsx) like a CSV of its first sheet: numbers, dates and the KoboToolbox layout", async () => {
    const s = await aSurveyWithTwoRounds();
    const { default: ExcelJS } = await import("exceljs");
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("market_safety");
    sheet.addRow(["end", "market/safe_market", "market/threats/theft", "market/threats/harassment", "market/threats/gangs", "reported", "about/gender", "comment", "_uuid"]);
    sheet.addRow([new Date("2026-03-10T06:07:00.000Z"), 2, 1, 0, 1, 0, "woman", "Busy on market day", U1]);
    sheet.addRow([new Date("2026-03-11T07:15:00.000Z"), 3, 0, 1, 0, 0, "man", { richText: [{ text: "Crowded " }, { text: "at noon", font: { bold: true } }] }, U2]);
    book.addWorksheet("choices").addRow(["list_name", "name", "label"]);
    const bytes = new Uint8Array(await book.xlsx.writeBuffer());
    const { dry, done } = await uploadAndImport(t.db, s.web, s.surveyId, "market_safety.xlsx", bytes);
    expect(dry).toMatchObject({ rows: 2, valid: 2, problems: 0 });
    expect(dry.html).toContain("Excel workbook, first sheet");
    expect(done).toMatchObject({ valid: 2 });
    const stored = await storedOf(t.db, s.surveyId);
    expect(stored.map((r) => [r.collectedAt, r.answers])).toEqual([
      ["2026-03-10T06:07:00.000Z", { safe_market: "2", threats: ["theft", "gangs"], reported: "0", gender: "woman", comment: "Busy on market day" }],
      ["2026-03-11T07:15:00.000Z", { safe_market: "3", threats: ["harassment"], reported: "0", gender: "man", comment: "Crowded at noon" }],
    ]);
    const again = await uploadAndImport(t.db, s.web, s.surveyId, "market_safety (1).xlsx", bytes);
    expect(again.dry).toMatchObject({ valid: 0, duplicates: 2 });
  });

  it("refuses a file with two columns of the same name, naming them, and stores nothing", async () => {
    const s = await aSurveyWithTwoRounds();
    const csv = "safe_market,gender,safe_market,reported,collected_at\n2,woman,3,0,2026-03-10\n";
    const { dry: reply } = await importThroughPage(s.web, t.db, s.surveyId, { name: "twice.csv", body: csv }, { dryRunOnly: true });
    const report = readReport(reply.status, reply.text);
    expect(report).toMatchObject({ rows: 0, valid: 0 });
    expect(decodeHtml(reply.text)).toContain('Columns 1 and 3 are both called "safe_market"');
    expect(await storedOf(t.db, s.surveyId)).toHaveLength(0);
  });
});
