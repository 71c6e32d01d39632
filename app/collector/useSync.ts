// Keeps the outbox moving: syncs on open, on the `online` event, on a timer while anything is
// queued, and on demand; holds the counts and the last outcome for the facilitator to see.
import { useCallback, useEffect, useRef, useState } from "react";
import * as store from "./store";
import { syncNow, type SyncOutcome } from "./sync";

export type SyncState = { kind: "idle" } | { kind: "syncing" } | SyncOutcome;

export function useSync(token: string, everyMs = 30_000) {
  const [counts, setCounts] = useState<store.Counts | null>(null);
  const [state, setState] = useState<SyncState>({ kind: "idle" });
  const [lastSyncAt, setLastSyncAt] = useState<string | null>(null);
  // After a 429 or a server error, automatic tries wait for Retry-After; "Sync now" does not.
  const notBefore = useRef(0);
  const soon = useRef<number | undefined>(undefined);
  const syncRef = useRef<(manual?: boolean) => Promise<void>>(async () => {});

  const refresh = useCallback(async () => {
    setCounts(await store.counts(token));
  }, [token]);

  const sync = useCallback(
    async (manual = false) => {
      if (!manual && Date.now() < notBefore.current) return;
      setState({ kind: "syncing" });
      const outcome = await syncNow(token).catch((e: unknown): SyncOutcome => {
        console.error("Sync failed", e);
        return { kind: "retry", retryAfterMs: 30_000, message: "Sending failed on this device; it will try again." };
      });
      notBefore.current = outcome.kind === "retry" ? Date.now() + outcome.retryAfterMs : 0;
      // The `online` event can come a moment before requests get through: try again shortly.
      if (outcome.kind === "offline" && navigator.onLine) {
        window.clearTimeout(soon.current);
        soon.current = window.setTimeout(() => void syncRef.current(), 5_000);
      }
      if (outcome.kind === "done" || outcome.kind === "nothing") setLastSyncAt(new Date().toISOString());
      setState(outcome);
      await refresh();
    },
    [token, refresh],
  );

  syncRef.current = sync;
  useEffect(() => () => window.clearTimeout(soon.current), []);
  useEffect(() => {
    void sync();
    const onOnline = () => void sync(true);
    window.addEventListener("online", onOnline);
    return () => window.removeEventListener("online", onOnline);
  }, [sync]);

  const pending = (counts?.queued ?? 0) + (counts?.otherPending ?? 0);
  useEffect(() => {
    if (pending === 0) return;
    const t = window.setInterval(() => void sync(), everyMs);
    return () => window.clearInterval(t);
  }, [pending, everyMs, sync]);

  return { counts, state, lastSyncAt, sync, refresh };
}
