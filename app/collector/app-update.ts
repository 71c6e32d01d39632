// A new build of the app, noticed on the device: the offline worker of a newer build has installed
// and waits (public/sw.js). The kiosk offers it only between respondents; accepting hands control to
// the new worker and reloads the page, which reopens where a reload always does (the queue and the
// sessions are in IndexedDB; a running session goes straight back to respondents).
import { useCallback, useEffect, useState } from "react";

/** How often a tablet left open looks for a newer build while online (also when the network returns). */
const LOOK_EVERY_MS = 30 * 60_000;

export function useAppUpdate(): { ready: boolean; apply: () => void } {
  const [waiting, setWaiting] = useState<ServiceWorker | null>(null);
  useEffect(() => {
    if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
    let reg: ServiceWorkerRegistration | undefined;
    let gone = false;
    // Waiting behind a worker that controls this page: an update (the very first worker never waits).
    const check = () => {
      if (!gone && reg?.waiting && navigator.serviceWorker.controller) setWaiting(reg.waiting);
    };
    const found = () => reg?.installing?.addEventListener("statechange", check);
    void navigator.serviceWorker.ready.then((r) => {
      reg = r;
      check();
      r.addEventListener("updatefound", found);
    });
    const look = () => void reg?.update().then(check, () => {});
    window.addEventListener("online", look);
    const timer = window.setInterval(look, LOOK_EVERY_MS);
    return () => {
      gone = true;
      reg?.removeEventListener("updatefound", found);
      window.removeEventListener("online", look);
      window.clearInterval(timer);
    };
  }, []);
  const apply = useCallback(() => {
    if (!waiting) return;
    navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload(), { once: true });
    waiting.postMessage({ type: "skip-waiting" });
  }, [waiting]);
  return { ready: waiting !== null, apply };
}
