// An attacker types formulas wherever text reaches a CSV: a free-text answer, an option label, a
// community's name. A facilitator downloads the raw export, the codebook and the dashboard tables
// and opens them in a spreadsheet — with "," or with ";" as the list separator (French Excel).
// No cell of any of them may start a formula, and every field is quoted.
import { randomUUID } from "node:crypto";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { marketAnswers, marketSurvey } from "../support/exchange";
import { aLink, aProgramme, aUser } from "../support/fixtures";
import { createSurvey, publishDraft } from "../../app/models/surveys.server";
import { createRound } from "../../app/models/rounds.server";
import { toCsv } from "../../app/exchange/csv-write";

/** Text that runs, or hides, a formula in Excel, LibreOffice or Google Sheets. */
export const PAYLOADS = [
  "=1+2",
  "+1+2",
  "-1+2",
  "@SUM(A1:A2)",
  '=HYPERLINK("http://evil.example","click")',
  "=cmd|' /C calc'!A0",
  " =1+2",
  "   +1+2",
  "\t=1+2",
  "\r=1+2",
  "\n=1+2",
  "=1+2\nsecond line",
  "\u00a0=1+2", // no-break space
  "\u200b=1+2", // zero-width space
  "\ufeff=1+2", // byte-order mark
  "\u2060=1+2", // word joiner
  "\u200e=1+2", // left-to-right mark
  "\u3000=1+2", // ideographic space
  "\u00ad=1+2", // soft hyphen
  "\uff1d1+2", // full-width =
  "\uff0b1+2", // full-width +
  "\uff0d1+2", // full-width -
  "\uff20SUM(A1)", // full-width @
  "x;=1+2",
  "x,=1+2",
  '"=1+2',
];

const INVISIBLE = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Z}\p{Default_Ignorable_Code_Point}]+/u;

/** Whether a spreadsheet would take this cell as a formula (the model the tests hold writers to). */
function runsAsFormula(cell: string): boolean {
  if (cell.startsWith("'")) return false; // text, by the apostrophe
  if (/^-?\d+(\.\d+)?$/.test(cell)) return false; // a number
  if (/^[\t\r\n]/.test(cell)) return true;
  return /^[=+\-@]/.test(cell.replace(INVISIBLE, "").normalize("NFKC"));
}

/** Every field of the file is quoted: the file read by a strict tokenizer, field by field. */
function everyFieldQuoted(text: string): boolean {
  const body = text.replace(/^\uFEFF/, "");
  let i = 0;
  while (i < body.length) {
    if (body[i] !== '"') return false;
    i++;
    for (;;) {
      const q = body.indexOf('"', i);
      if (q < 0) return false;
      if (body[q + 1] === '"') i = q + 2;
      else {
        i = q + 1;
        break;
      }
    }
    if (body.startsWith("\r\n", i)) i += 2;
    else if (body[i] === ",") i++;
    else return false;
  }
  return true;
}

/**
 * The cells a spreadsheet sees with this list separator. Quotes toggle "inside a quoted field"
 * wherever they are ("" inside is one quote), as Excel reads them, so a separator inside quotes
 * never splits a cell — the reason every field is quoted.
 */
function cellsOf(text: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  const body = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"') {
      if (quoted && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = !quoted;
    } else if (!quoted && (c === delimiter || c === "\n" || (c === "\r" && body[i + 1] === "\n"))) {
      cells.push(cell);
      cell = "";
      if (c === "\r") i++;
    } else cell += c;
  }
  if (cell) cells.push(cell);
  return cells;
}

function expectSafe(name: string, text: string) {
  expect(everyFieldQuoted(text), `${name}: every field quoted`).toBe(true);
  for (const delimiter of [",", ";"]) {
    const formulas = cellsOf(text, delimiter).filter(runsAsFormula);
    expect(formulas, `${name} read with "${delimiter}"`).toEqual([]);
  }
}

describe("every CSV the app writes neutralises the payload corpus", () => {
  let t: TestDb;
  let server: RunningServer;
  let web: HttpClient;
  let surveyId: string;
  let programmeId: string;

  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    server = await startServer(t);
    const facilitator = await aUser(t.db, "CSV Facilitator");
    const programme = await aProgramme(t.db, "CSV Programme", [{ userId: facilitator.id, role: "facilitator" }]);
    programmeId = programme.id;
    // A facilitator named the community with a formula.
    await t.db.updateTable("communities").set({ name: "=cmd|' /C calc'!A0" }).where("id", "=", programme.communityId).execute();
    const definition = marketSurvey();
    // Option labels are free text too: a custom disaggregation whose groups are the payloads.
    definition.questions.push({
      id: "place",
      type: "single",
      disaggregation: { custom: "place" },
      label: { en: "=1+2 Where?", fr: "=1+2 Où ?" },
      options: PAYLOADS.map((p, i) => ({ code: `p${i}`, label: { en: p, fr: p } })),
    } as never);
    surveyId = await createSurvey(t.db, { programmeId: programme.id, definition, createdBy: facilitator.id });
    expect((await publishDraft(t.db, surveyId, facilitator.id)).ok).toBe(true);
    const roundId = await createRound(t.db, { programmeId: programme.id, name: "-Baseline", kind: "baseline", startsOn: "2026-01-01", endsOn: "2026-12-31" });
    const link = await aLink(t.db, { surveyId, mode: "self", label: "Phones", communityId: programme.communityId, roundId, maxResponses: null, pin: null, createdBy: facilitator.id });
    // Five respondents per payload, so every group is shown on the dashboards.
    const responses = PAYLOADS.flatMap((comment, i) =>
      Array.from({ length: 5 }, (_, k) => ({
        id: randomUUID(),
        surveyVersion: 1,
        collectedAt: `2026-11-0${1 + (k % 5)}T10:00:00.000Z`,
        language: "en",
        answers: marketAnswers({ comment, place: `p${i}` }),
      })),
    );
    const sent = await fetch(`${server.url}/api/v1/links/${link.token}/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ responses }),
    });
    const results = (await sent.json()).results as { status: string }[];
    expect(results.filter((r) => r.status !== "created")).toEqual([]);
    web = new HttpClient(server.url);
    await web.signIn(facilitator.email, facilitator.password);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("the raw export: each payload comes back as text, with codes or labels", async () => {
    for (const query of ["", "?labels=en&bom=1"]) {
      const res = await web.get(`/api/v1/surveys/${surveyId}/responses.csv${query}`);
      expect(res.status).toBe(200);
      expectSafe(`responses.csv${query}`, res.text);
      const rows = Papa.parse<string[]>(res.text.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
      const comments = new Set(rows.slice(1).map((r) => r[rows[0].indexOf("comment")]));
      // What the person typed is all there, after the apostrophe where one was needed.
      for (const p of PAYLOADS) expect(comments.has(p) || comments.has(`'${p}`), JSON.stringify(p)).toBe(true);
      expect(rows[1][rows[0].indexOf("community")]).toBe("'=cmd|' /C calc'!A0");
    }
  });

  it("the codebook", async () => {
    const res = await web.get(`/api/v1/surveys/${surveyId}/codebook.csv?bom=1`);
    expect(res.status).toBe(200);
    expectSafe("codebook.csv", res.text);
    expect(res.text).toContain('"\'\uff1d1+2"');
  });

  it("every table of the dashboard, split by the payload groups", async () => {
    const links = new Set<string>();
    for (const panel of ["", "&indicator=feel_safe_market&panel=answers", "&indicator=feel_safe_market&panel=communities", "&indicator=feel_safe_market&panel=gap"]) {
      const page = await web.get(`/programmes/${programmeId}/dashboard?by=place&period=round${panel}`);
      expect(page.status).toBe(200);
      for (const m of page.text.matchAll(/href="([^"]*dashboard\.csv[^"]*)"/g)) links.add(m[1].replace(/&amp;/g, "&"));
    }
    expect(links.size).toBeGreaterThanOrEqual(2);
    let sawPayloadGroup = false;
    for (const href of links) {
      const res = await web.get(href);
      expect(res.status, href).toBe(200);
      expectSafe(href, res.text);
      if (res.text.includes("'\u200b=1+2")) sawPayloadGroup = true;
    }
    expect(sawPayloadGroup).toBe(true);
  });

  it("the writer itself: numbers stay numbers, and the rule is the one the model above holds", () => {
    const text = toCsv([["Change", "-3.5", 4, "12", ...PAYLOADS]]);
    expect(text.startsWith('"Change","-3.5","4","12",')).toBe(true);
    expectSafe("toCsv", text);
  });
});
