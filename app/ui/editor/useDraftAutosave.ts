// Nothing typed is lost: every change is kept on this device at once and saved to the server
// shortly after; on reload, a copy newer than the server's is restored.
import { useEffect, useRef, useState } from "react";
import { useFetcher } from "@remix-run/react";

export type SaveState = "saved" | "pending" | "saving" | "offline" | "error";

interface Stored<T> {
  definition: T;
  editedAt: string;
  /** The server's draft time this copy was based on. */
  base: string | null;
  dirty: boolean;
}

const storageKey = (surveyId: string) => `sps:survey-draft:${surveyId}`;

export function readLocalDraft<T>(surveyId: string): Stored<T> | null {
  try {
    const text = window.localStorage.getItem(storageKey(surveyId));
    return text ? (JSON.parse(text) as Stored<T>) : null;
  } catch {
    return null;
  }
}

export function clearLocalDraft(surveyId: string) {
  try {
    window.localStorage.removeItem(storageKey(surveyId));
  } catch {
    /* storage unavailable: nothing to clear */
  }
}

export function useDraftAutosave<T>(options: {
  surveyId: string;
  definition: T;
  serverUpdatedAt: string | null;
  csrf: string;
  /** False until the author changes something: opening the editor must not create a draft. */
  changed: boolean;
}) {
  const { surveyId, definition, csrf, changed } = options;
  const fetcher = useFetcher<{ savedAt?: string; error?: string }>({ key: `autosave-${surveyId}` });
  const [state, setState] = useState<SaveState>("saved");
  const base = useRef(options.serverUpdatedAt);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    if (!changed) return;
    const stored: Stored<T> = { definition, editedAt: new Date().toISOString(), base: base.current, dirty: true };
    try {
      window.localStorage.setItem(storageKey(surveyId), JSON.stringify(stored));
    } catch {
      /* private mode or full storage: the server save below still runs */
    }
    setState("pending");
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setState(navigator.onLine === false ? "offline" : "saving");
      fetcher.submit({ intent: "save", csrf, definition: JSON.stringify(definition) }, { method: "post" });
    }, 700);
    return () => clearTimeout(timer.current);
    // fetcher is stable enough for our purpose; re-running on its identity would resubmit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [definition, changed, surveyId, csrf]);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if (fetcher.data.savedAt) {
      base.current = fetcher.data.savedAt;
      const stored = readLocalDraft<T>(surveyId);
      if (stored) {
        stored.dirty = false;
        stored.base = fetcher.data.savedAt;
        try {
          window.localStorage.setItem(storageKey(surveyId), JSON.stringify(stored));
        } catch {
          /* ignore */
        }
      }
      setState((s) => (s === "saving" ? "saved" : s));
    } else if (fetcher.data.error) setState("error");
  }, [fetcher.state, fetcher.data, surveyId]);

  // A failed request (offline) leaves fetcher.data unchanged: report it as kept on this device.
  useEffect(() => {
    const offline = () => setState((s) => (s === "saving" || s === "pending" ? "offline" : s));
    window.addEventListener("offline", offline);
    return () => window.removeEventListener("offline", offline);
  }, []);

  return state;
}
