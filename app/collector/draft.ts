// A phone respondent's answers in progress, kept on their own device as they go so that a reload
// (or a browser that drops the tab) resumes where they were. Community links only: a kiosk tablet
// passes between people, and each starts clean. Deleted once the response is saved or refused, and
// ignored when the survey version changed or it is older than a week.
import type { FlowProgress } from "../ui/respondent/RespondentFlow";

const MAX_AGE_MS = 7 * 24 * 3600 * 1000;
const key = (token: string) => `sps-draft:${token}`;

interface Stored {
  version: number;
  savedAt: number;
  progress: FlowProgress;
}

export function loadDraft(token: string, version: number): FlowProgress | null {
  try {
    const raw = localStorage.getItem(key(token));
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<Stored>;
    const p = d.progress;
    const fresh = typeof d.savedAt === "number" && Date.now() - d.savedAt < MAX_AGE_MS;
    if (d.version !== version || !fresh || !p || typeof p.answers !== "object" || p.answers === null) {
      localStorage.removeItem(key(token));
      return null;
    }
    return { language: p.language ?? null, screen: p.screen ?? "consent", answers: p.answers, typed: p.typed ?? {}, startedAt: p.startedAt ?? null };
  } catch {
    return null;
  }
}

/** Keeps the progress (null: the respondent is done, nothing stays). Storage full or off: the page still works. */
export function keepDraft(token: string, version: number, progress: FlowProgress | null): void {
  try {
    if (!progress) localStorage.removeItem(key(token));
    else localStorage.setItem(key(token), JSON.stringify({ version, savedAt: Date.now(), progress } satisfies Stored));
  } catch {
    // Private mode or a full disk: answers stay in the page only, as before.
  }
}
