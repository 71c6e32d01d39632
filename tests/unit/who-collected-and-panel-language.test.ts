// A supervisor's counts of who collected what (by tablet, by facilitator, from the sessions), and
// the facilitator panel's choice of language: the browser's first that the panel has, else the
// survey's, else English.
import { describe, expect, it } from "vitest";
import { collectorCounts } from "../../app/models/collectors";
import { panelLanguage, panelTranslator } from "../../app/collector/panel-words";

describe("who collected the responses", () => {
  it("sums counted responses and sessions per tablet and per facilitator, the unnamed last", () => {
    const counts = collectorCounts([
      { deviceName: "Tablet 3", facilitatorName: "Amina", responses: 4 },
      { deviceName: " Tablet 3 ", facilitatorName: "Moussa", responses: 2 },
      { deviceName: null, facilitatorName: "Amina", responses: 9 },
      { deviceName: "Tablet 7", facilitatorName: null, responses: 1 },
      { deviceName: "", facilitatorName: null, responses: 0 },
    ]);
    expect(counts.devices).toEqual([
      { name: "Tablet 3", sessions: 2, responses: 6 },
      { name: "Tablet 7", sessions: 1, responses: 1 },
      { name: null, sessions: 2, responses: 9 },
    ]);
    expect(counts.facilitators).toEqual([
      { name: "Amina", sessions: 2, responses: 13 },
      { name: "Moussa", sessions: 1, responses: 2 },
      { name: null, sessions: 2, responses: 1 },
    ]);
    expect(collectorCounts([])).toEqual({ devices: [], facilitators: [] });
  });
});

describe("the facilitator panel's language", () => {
  it("follows the browser, then the survey, then English", () => {
    expect(panelLanguage(["fr-ML", "en"], "ar")).toBe("fr");
    expect(panelLanguage(["so", "ar-JO"], "en")).toBe("ar");
    expect(panelLanguage(["so"], "ar")).toBe("ar");
    expect(panelLanguage(["sw-KE"], "so")).toBe("en");
    expect(panelLanguage([], "fr")).toBe("fr");
  });

  it("says counts with each language's plural forms", () => {
    expect(panelTranslator("en")("participantCount", { n: 1 })).toBe("1 participant");
    expect(panelTranslator("fr")("syncRetry", { message: "quota", n: 2 })).toBe("Le serveur a demandé d’attendre (quota). Nouvel essai dans 2 secondes.");
    expect(panelTranslator("ar")("participantCount", { n: 2 })).toBe("مشاركان");
    expect(panelTranslator("ar")("participantCount", { n: 11 })).toBe("11 مشاركًا");
  });
});
