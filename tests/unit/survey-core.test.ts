// The survey core: templates, definition and answer validation, skip logic, indicator scoring,
// statement items and comparability warnings.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  comparabilityWarnings,
  dropHiddenAnswers,
  isVisible,
  presetOptions,
  scoreResponse,
  statementToItem,
  summarise,
  validateAnswers,
  validateDefinition,
  visibleQuestions,
  SCALE_PRESETS,
  type Answers,
  type Indicator,
  type SurveyDefinition,
} from "../../app/survey";

const TEMPLATE_DIR = path.resolve("survey-templates");
const TEMPLATES = ["sdg16-core.json", "community-security.json", "focus-group-pulse.json"];
const readTemplate = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(TEMPLATE_DIR, file), "utf8"));

function loadTemplate(file: string): SurveyDefinition {
  const result = validateDefinition(readTemplate(file));
  if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors)}`);
  return result.definition;
}

const clone = <T>(x: T): T => structuredClone(x);

/** A small bilingual survey every bad-definition case starts from. */
function base(): SurveyDefinition {
  const yesNo = [
    { code: "1", label: { en: "Yes", fr: "Oui" } },
    { code: "0", label: { en: "No", fr: "Non" } },
  ];
  return {
    title: { en: "Test", fr: "Test" },
    languages: [
      { code: "en", name: "English", direction: "ltr" },
      { code: "fr", name: "Français", direction: "ltr" },
    ],
    defaultLanguage: "en",
    consent: { en: "Do you agree?", fr: "Êtes-vous d'accord ?" },
    questions: [
      { id: "intro", type: "info", label: { en: "Welcome", fr: "Bienvenue" } },
      { id: "safe", type: "scale", required: true, label: { en: "Safe?", fr: "En sécurité ?" }, options: presetOptions("sdg16_safety", ["en", "fr"]) },
      { id: "victim", type: "single", label: { en: "Victim?", fr: "Victime ?" }, options: yesNo },
      {
        id: "reported",
        type: "single",
        required: true,
        label: { en: "Reported?", fr: "Signalé ?" },
        options: yesNo,
        showIf: { op: "equals", question: "victim", value: "1" },
      },
      { id: "incidents", type: "number", label: { en: "How many?", fr: "Combien ?" }, min: 0, max: 50, integer: true },
      { id: "comment", type: "text", label: { en: "Anything else?", fr: "Autre chose ?" } },
      {
        id: "threats",
        type: "ranking",
        maxPicks: 2,
        label: { en: "Threats", fr: "Menaces" },
        options: [
          { code: "theft", label: { en: "Theft", fr: "Vol" } },
          { code: "gangs", label: { en: "Gangs", fr: "Bandes" } },
          { code: "floods", label: { en: "Floods", fr: "Inondations" } },
        ],
      },
    ],
    indicators: [
      {
        id: "safe_official",
        label: { en: "Feel safe", fr: "En sécurité" },
        question: "safe",
        kind: "share",
        codes: ["1", "2"],
        denominator: "all",
        direction: "higher_is_better",
      },
    ],
  };
}

describe("templates", () => {
  it.each(TEMPLATES)("%s validates and has en, fr and ar (rtl) throughout", (file) => {
    const result = validateDefinition(readTemplate(file));
    expect(result.ok ? [] : result.errors).toEqual([]);
    const def = loadTemplate(file);
    expect(def.languages.map((l) => [l.code, l.direction])).toEqual(
      expect.arrayContaining([["en", "ltr"], ["fr", "ltr"], ["ar", "rtl"]]),
    );
    expect(def.defaultLanguage).toBe("en");
    expect(def.consent.ar.length).toBeGreaterThan(20);
    expect(def.indicators.length).toBeGreaterThan(0);
    expect(def.questions.some((q) => q.disaggregation === "gender")).toBe(true);
  });

  it("the SDG 16 core carries the official question, both denominators and the show-if example", () => {
    const def = loadTemplate("sdg16-core.json");
    const q = def.questions.find((x) => x.id === "safe_after_dark")!;
    expect(q.label.en).toBe("How safe do you feel walking alone around the area you live after dark?");
    expect(q.options!.map((o) => o.code)).toEqual(["1", "2", "3", "4", "5", "99"]);
    const byId = Object.fromEntries(def.indicators.map((i) => [i.id, i]));
    expect(byId.safe_after_dark_official).toMatchObject({ kind: "share", codes: ["1", "2"], denominator: "all" });
    expect(byId.safe_after_dark_excluding_na).toMatchObject({ denominator: { exclude: ["5", "99"] } });
    expect(byId.trust_police).toMatchObject({ codes: ["3", "4"], denominator: { exclude: ["99"] } });
    expect(isVisible(def, "report_to", { would_report_crime: "1" })).toBe(true);
    expect(isVisible(def, "report_to", { would_report_crime: "0" })).toBe(false);
    expect(def.questions.filter((x) => x.disaggregation).map((x) => x.disaggregation)).toEqual(["gender", "age_band", "disability"]);
  });

  it("every scale preset has labels and a face in en, fr, ar, so and sw", () => {
    for (const preset of SCALE_PRESETS) {
      for (const o of presetOptions(preset, ["en", "fr", "ar", "so", "sw"])) {
        expect(Object.keys(o.label).sort()).toEqual(["ar", "en", "fr", "so", "sw"]);
        expect(o.face).toBeTruthy();
      }
    }
  });
});

describe("validateDefinition refuses bad definitions", () => {
  const cases: [string, (d: SurveyDefinition) => void, string][] = [
    ["duplicate question id", (d) => void (d.questions[2].id = "safe"), "questions.2.id"],
    ["show-if on a later question", (d) => void (d.questions[2].showIf = { op: "answered", question: "comment" }), "questions.2.showIf.question"],
    ["show-if on itself", (d) => void (d.questions[2].showIf = { op: "answered", question: "victim" }), "questions.2.showIf.question"],
    ["show-if on an unknown question", (d) => void (d.questions[3].showIf = { op: "equals", question: "ghost", value: "1" }), "questions.3.showIf.question"],
    // A show-if naming a code the question lacks is a warning since XLSForm import (survey-conditions.test.ts).
    ["option code reused", (d) => void (d.questions[6].options![1].code = "theft"), "questions.6.options.1.code"],
    ["missing translation of a label", (d) => void delete d.questions[2].label.fr, "questions.2.label.fr"],
    ["blank translation of an option", (d) => void (d.questions[1].options![3].label.fr = "  "), "questions.1.options.3.label.fr"],
    ["help present in one language only", (d) => void (d.questions[2].help = { en: "Think of the last year" }), "questions.2.help.fr"],
    ["missing consent translation", (d) => void delete d.consent.fr, "consent.fr"],
    ["missing title translation", (d) => void delete d.title.fr, "title.fr"],
    ["missing indicator label translation", (d) => void delete d.indicators[0].label.fr, "indicators.0.label.fr"],
    ["indicator on a text question", (d) => void (d.indicators[0].question = "comment"), "indicators.0.question"],
    ["indicator on a number question", (d) => void (d.indicators[0].question = "incidents"), "indicators.0.question"],
    ["indicator on an info screen", (d) => void (d.indicators[0].question = "intro"), "indicators.0.question"],
    ["indicator on an unknown question", (d) => void (d.indicators[0].question = "ghost"), "indicators.0.question"],
    ["indicator code not among the options", (d) => void ((d.indicators[0] as { codes: string[] }).codes = ["1", "7"]), "indicators.0.codes.1"],
    [
      "excluded code not among the options",
      (d) => void ((d.indicators[0] as { denominator: unknown }).denominator = { exclude: ["42"] }),
      "indicators.0.denominator.exclude.0",
    ],
    [
      "mean over non-numeric codes",
      (d) => void (d.indicators[0] = { id: "m", label: { en: "M", fr: "M" }, question: "threats", kind: "mean", exclude: [], direction: "lower_is_better" }),
      "indicators.0.kind",
    ],
    ["default language not declared", (d) => void (d.defaultLanguage = "ar"), "defaultLanguage"],
    ["ranking maxPicks below 1", (d) => void (d.questions[6].maxPicks = 0), "questions.6.maxPicks"],
    ["ranking maxPicks above the options", (d) => void (d.questions[6].maxPicks = 4), "questions.6.maxPicks"],
    ["choice question without options", (d) => void delete d.questions[2].options, "questions.2.options"],
    ["min above max", (d) => void (d.questions[4].min = 60), "questions.4.max"],
    ["share target given as a percentage", (d) => void (d.indicators[0].target = 60), "indicators.0.target"],
    ["identifier outside XLSForm's naming rules (zod)", (d) => void (d.questions[2].id = "Victim Q"), "questions.2.id"],
    ["misspelt field (zod, strict)", (d) => void ((d.questions[2] as Record<string, unknown>).showif = {}), "questions.2"],
    ["missing required field (zod)", (d) => void delete (d as Partial<SurveyDefinition>).consent, "consent"],
  ];

  it("accepts the base definition", () => {
    expect(validateDefinition(base())).toMatchObject({ ok: true });
  });

  it.each(cases)("%s", (_name, mutate, expectedPath) => {
    const def = base();
    mutate(def);
    const result = validateDefinition(def);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toContain(expectedPath);
    for (const e of result.errors) expect(e.message.length).toBeGreaterThan(5);
  });
});

describe("skip logic", () => {
  const def = base();
  const withCondition = (showIf: NonNullable<SurveyDefinition["questions"][number]["showIf"]>) => {
    const d = clone(def);
    d.questions[5].showIf = showIf; // "comment", after safe, victim, reported, incidents
    return d;
  };
  const cases: [string, Parameters<typeof withCondition>[0], Answers, boolean][] = [
    ["equals true", { op: "equals", question: "safe", value: "3" }, { safe: "3" }, true],
    ["equals false", { op: "equals", question: "safe", value: "3" }, { safe: "2" }, false],
    ["equals accepts a numeric value for a code", { op: "equals", question: "safe", value: 3 }, { safe: "3" }, true],
    ["equals on a number question", { op: "equals", question: "incidents", value: 0 }, { incidents: 0 }, true],
    ["oneOf", { op: "oneOf", question: "safe", values: ["3", "4"] }, { safe: "4" }, true],
    ["oneOf unanswered", { op: "oneOf", question: "safe", values: ["3", "4"] }, {}, false],
    ["answered", { op: "answered", question: "victim" }, { victim: "0" }, true],
    ["answered ignores empty text", { op: "answered", question: "victim" }, { victim: "" }, false],
    ["not", { op: "not", condition: { op: "equals", question: "safe", value: "1" } }, { safe: "1" }, false],
    ["not on unanswered", { op: "not", condition: { op: "equals", question: "safe", value: "1" } }, {}, true],
    [
      "all true",
      { op: "all", conditions: [{ op: "equals", question: "victim", value: "1" }, { op: "oneOf", question: "safe", values: ["3", "4"] }] },
      { victim: "1", safe: "3" },
      true,
    ],
    [
      "all false",
      { op: "all", conditions: [{ op: "equals", question: "victim", value: "1" }, { op: "oneOf", question: "safe", values: ["3", "4"] }] },
      { victim: "1", safe: "1" },
      false,
    ],
    [
      "any",
      { op: "any", conditions: [{ op: "equals", question: "victim", value: "1" }, { op: "equals", question: "safe", value: "4" }] },
      { victim: "0", safe: "4" },
      true,
    ],
    [
      "any none",
      { op: "any", conditions: [{ op: "equals", question: "victim", value: "1" }, { op: "equals", question: "safe", value: "4" }] },
      { victim: "0", safe: "1" },
      false,
    ],
    // "reported" is hidden unless victim = 1, so its stale answer must not count downstream.
    ["a hidden question counts as unanswered", { op: "equals", question: "reported", value: "1" }, { victim: "0", reported: "1" }, false],
    ["a visible one counts", { op: "equals", question: "reported", value: "1" }, { victim: "1", reported: "1" }, true],
  ];

  it.each(cases)("%s", (_name, condition, answers, expected) => {
    const d = withCondition(condition);
    expect(validateDefinition(d).ok).toBe(true);
    expect(isVisible(d, "comment", answers)).toBe(expected);
    expect(visibleQuestions(d, answers).some((q) => q.id === "comment")).toBe(expected);
  });

  it("drops answers to hidden questions before submitting", () => {
    expect(dropHiddenAnswers(def, { safe: "1", victim: "0", reported: "1" })).toEqual({ safe: "1", victim: "0" });
  });
});

describe("validateAnswers", () => {
  const def = base();
  const good: Answers = { safe: "2", victim: "1", reported: "0", incidents: 3, comment: "ok", threats: ["gangs", "theft"] };
  const cases: [string, Answers | unknown, string[]][] = [
    ["complete answers", good, []],
    ["only the required ones", { safe: "99" }, []],
    ["required question missing", { victim: "0" }, ["answers.safe"]],
    ["required question left blank", { safe: "" }, ["answers.safe"]],
    ["required follow-up missing when shown", { safe: "1", victim: "1" }, ["answers.reported"]],
    ["required follow-up not needed when hidden", { safe: "1", victim: "0" }, []],
    ["answer to a question the logic hides", { safe: "1", victim: "0", reported: "1" }, ["answers.reported"]],
    ["unknown question", { safe: "1", name: "Amina" }, ["answers.name"]],
    ["invalid code", { safe: "7" }, ["answers.safe"]],
    ["a code given as a number", { safe: 1 }, ["answers.safe"]],
    ["wrong type for a number", { safe: "1", incidents: "3" }, ["answers.incidents"]],
    ["number below the minimum", { safe: "1", incidents: -1 }, ["answers.incidents"]],
    ["number above the maximum", { safe: "1", incidents: 51 }, ["answers.incidents"]],
    ["fraction where a whole number is expected", { safe: "1", incidents: 1.5 }, ["answers.incidents"]],
    ["ranking with duplicates", { safe: "1", threats: ["gangs", "gangs"] }, ["answers.threats"]],
    ["ranking with too many picks", { safe: "1", threats: ["gangs", "theft", "floods"] }, ["answers.threats"]],
    ["ranking with an unknown code", { safe: "1", threats: ["aliens"] }, ["answers.threats"]],
    ["answer to an info screen", { safe: "1", intro: "seen" }, ["answers.intro"]],
    ["not an object", ["safe"], ["answers"]],
  ];

  it("a question id that is also an Object property is still checked", () => {
    const d = base();
    d.questions.push({ id: "constructor", type: "single", required: true, label: { en: "C", fr: "C" }, options: d.questions[2].options });
    expect(validateAnswers(d, { safe: "1" }).errors.map((e) => e.path)).toEqual(["answers.constructor"]);
    expect(validateAnswers(d, JSON.parse('{"safe":"1","constructor":"0"}')).ok).toBe(true);
  });

  it.each(cases)("%s", (_name, answers, expectedPaths) => {
    const result = validateAnswers(def, answers);
    expect(result.errors.map((e) => e.path).sort()).toEqual(expectedPaths.sort());
    expect(result.ok).toBe(expectedPaths.length === 0);
  });
});

describe("indicator scoring", () => {
  const def = loadTemplate("sdg16-core.json");
  const ind = (id: string): Indicator => def.indicators.find((i) => i.id === id)!;
  // Ten respondents after dark: 1,1,2,3,4,5,99, 2, unanswered, blank.
  const codes = ["1", "1", "2", "3", "4", "5", "99", "2"];
  const answersList: Answers[] = [...codes.map((c) => ({ safe_after_dark: c })), {}, { safe_after_dark: "" }];

  it("official SDG 16.1.4: everyone who answered is in the denominator", () => {
    // yes = 1,1,2,2 → 4 of the 8 who answered.
    expect(summarise(def, ind("safe_after_dark_official"), answersList)).toEqual({ n: 8, sum: 4, sumSquares: 4, excluded: {}, missing: 2 });
  });

  it("excluding 5 and 99 shrinks the denominator and counts what was left out", () => {
    // denominator 1,1,2,3,4,2 = 6; yes = 4.
    expect(summarise(def, ind("safe_after_dark_excluding_na"), answersList)).toEqual({
      n: 6,
      sum: 4,
      sumSquares: 4,
      excluded: { "5": 1, "99": 1 },
      missing: 2,
    });
  });

  it("mean with exclusions", () => {
    // codes 1,1,2,3,4,2 → sum 13, squares 1+1+4+9+16+4 = 35.
    expect(summarise(def, ind("safe_after_dark_mean"), answersList)).toEqual({ n: 6, sum: 13, sumSquares: 35, excluded: { "5": 1, "99": 1 }, missing: 2 });
  });

  it("scores single responses", () => {
    expect(scoreResponse(def, ind("safe_after_dark_official"), { safe_after_dark: "5" })).toEqual({ counted: true, value: 0 });
    expect(scoreResponse(def, ind("safe_after_dark_excluding_na"), { safe_after_dark: "5" })).toMatchObject({ counted: false, code: "5" });
    expect(scoreResponse(def, ind("safe_after_dark_mean"), { safe_after_dark: "3" })).toEqual({ counted: true, value: 3 });
    expect(scoreResponse(def, ind("trust_police"), {})).toMatchObject({ counted: false });
  });

  it("a hidden question is out of the denominator even with a stale answer", () => {
    const toPolice = ind("report_to_police_first");
    expect(scoreResponse(def, toPolice, { would_report_crime: "0", report_to: "police" })).toMatchObject({ counted: false, reason: "hidden" });
    const list: Answers[] = [
      { would_report_crime: "1", report_to: "police" },
      { would_report_crime: "1", report_to: "elders_customary" },
      { would_report_crime: "1", report_to: "police" },
      { would_report_crime: "0" },
    ];
    expect(summarise(def, toPolice, list)).toEqual({ n: 3, sum: 2, sumSquares: 2, excluded: {}, missing: 1 });
  });

  it("a ranking share counts anyone who picked the code at any rank", () => {
    const cs = loadTemplate("community-security.json");
    const harassment = cs.indicators.find((i) => i.id === "harassment_top_threat")!;
    const list: Answers[] = [
      { top_threats: ["theft", "harassment"] },
      { top_threats: ["harassment"] },
      { top_threats: ["theft", "gangs", "armed_groups"] },
    ];
    expect(summarise(cs, harassment, list)).toMatchObject({ n: 3, sum: 2 });
  });
});

describe("statementToItem", () => {
  it("turns a focus-group statement into an agreement question and a share indicator", () => {
    const { question, indicator } = statementToItem({
      statement: {
        en: "Women can reach the water point without being harassed",
        fr: "Les femmes peuvent se rendre au point d'eau sans être harcelées",
      },
      languages: ["en", "fr"],
      id: "water_point_no_harassment",
    });
    expect(question).toMatchObject({ id: "water_point_no_harassment", type: "scale", scale: "agreement5" });
    expect(question.options!.map((o) => o.code)).toEqual(["1", "2", "3", "4", "5", "99"]);
    expect(indicator).toMatchObject({ question: question.id, kind: "share", codes: ["4", "5"], denominator: { exclude: ["99"] } });

    const def = base();
    def.questions.push(question);
    def.indicators.push(indicator);
    expect(validateDefinition(def)).toMatchObject({ ok: true });
    const list: Answers[] = ["5", "4", "2", "99", "3"].map((c) => ({ safe: "1", water_point_no_harassment: c }));
    // 5 and 4 agree; 99 leaves the denominator: 2 of 4.
    expect(summarise(def, indicator, list)).toMatchObject({ n: 4, sum: 2, excluded: { "99": 1 } });
  });

  it("a plain string fills the first language; the others are flagged as missing", () => {
    const { question, indicator } = statementToItem({ statement: "I can walk to the bus stop safely", languages: ["en", "fr"], id: "bus_stop" });
    const def = base();
    def.questions.push(question);
    def.indicators.push(indicator);
    const result = validateDefinition(def);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain(`questions.${def.questions.length - 1}.label.fr`);
  });
});

describe("comparabilityWarnings", () => {
  const previous = loadTemplate("sdg16-core.json");
  const ids = (w: { indicatorId: string }[]) => [...new Set(w.map((x) => x.indicatorId))].sort();
  const qIndex = (d: SurveyDefinition, id: string) => d.questions.findIndex((q) => q.id === id);

  it("no change, no warning", () => {
    expect(comparabilityWarnings(previous, clone(previous))).toEqual([]);
  });

  it("changing an unrelated label or a translation does not warn", () => {
    const next = clone(previous);
    next.questions[qIndex(next, "age_band")].label.en = "What is your age?";
    next.questions[qIndex(next, "safe_after_dark")].label.fr = "Vous sentez-vous en sécurité la nuit ?";
    next.title.en = "Safety survey, round 2";
    expect(comparabilityWarnings(previous, next)).toEqual([]);
  });

  it("changing an indicator's option codes warns", () => {
    const next = clone(previous);
    const i = qIndex(next, "trust_police");
    next.questions[i].options = next.questions[i].options!.map((o) => (o.code === "99" ? { ...o, code: "98" } : o));
    const w = comparabilityWarnings(previous, next);
    expect(ids(w)).toEqual(["trust_police"]);
    expect(w.map((x) => x.path)).toEqual(expect.arrayContaining([`questions.${i}.options`, `questions.${i}.options.4`]));
  });

  it("changing the indicator's codes, denominator or kind warns", () => {
    const next = clone(previous);
    const official = next.indicators.find((x) => x.id === "safe_after_dark_official")!;
    (official as { codes: string[] }).codes = ["1"];
    const excl = next.indicators.find((x) => x.id === "safe_after_dark_excluding_na")!;
    (excl as { denominator: unknown }).denominator = "all";
    const w = comparabilityWarnings(previous, next);
    expect(ids(w)).toEqual(["safe_after_dark_excluding_na", "safe_after_dark_official"]);
  });

  it("renaming the question, changing its type or the meaning of a code warns", () => {
    const renamed = clone(previous);
    renamed.questions[qIndex(renamed, "trust_courts")].id = "trust_judges";
    expect(ids(comparabilityWarnings(previous, renamed))).toEqual(["trust_courts"]);

    const retyped = clone(previous);
    retyped.questions[qIndex(retyped, "would_report_crime")].type = "multiple";
    expect(comparabilityWarnings(previous, retyped)).toEqual([
      expect.objectContaining({ indicatorId: "would_report_crime", path: `questions.${qIndex(previous, "would_report_crime")}.type` }),
    ]);

    const relabelled = clone(previous);
    const i = qIndex(relabelled, "safe_after_dark");
    relabelled.questions[i].options![1].label.en = "Quite safe";
    const w = comparabilityWarnings(previous, relabelled);
    expect(ids(w)).toEqual(["safe_after_dark_excluding_na", "safe_after_dark_mean", "safe_after_dark_official"]);
    expect(w[0].path).toBe(`questions.${i}.options.1.label.en`);
  });

  it("removing an indicator warns", () => {
    const next = clone(previous);
    next.indicators = next.indicators.filter((x) => x.id !== "trust_courts");
    expect(ids(comparabilityWarnings(previous, next))).toEqual(["trust_courts"]);
  });
});
