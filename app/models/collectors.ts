// Who collected a survey's responses: its focus-group sessions' counted responses summed by the
// tablet that sent them and by the facilitator who ran them (a supervisor's first question when a
// device's data looks wrong). Pure, from the sessions list; null is a tablet that did not say.
import type { SessionSummary } from "./sessions-fg.server";

export interface CollectorCount {
  name: string | null;
  sessions: number;
  responses: number;
}

type Session = Pick<SessionSummary, "deviceName" | "facilitatorName" | "responses">;

function countBy(sessions: Session[], key: "deviceName" | "facilitatorName"): CollectorCount[] {
  const byName = new Map<string | null, CollectorCount>();
  for (const s of sessions) {
    const raw = s[key];
    const name = raw && raw.trim() ? raw.trim() : null;
    const row = byName.get(name) ?? { name, sessions: 0, responses: 0 };
    row.sessions += 1;
    row.responses += s.responses;
    byName.set(name, row);
  }
  // Most responses first; the unnamed last, as a remainder.
  return [...byName.values()].sort((a, b) => Number(a.name === null) - Number(b.name === null) || b.responses - a.responses || (a.name ?? "").localeCompare(b.name ?? ""));
}

export function collectorCounts(sessions: Session[]): { devices: CollectorCount[]; facilitators: CollectorCount[] } {
  return { devices: countBy(sessions, "deviceName"), facilitators: countBy(sessions, "facilitatorName") };
}
