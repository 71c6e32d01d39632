// Installing the collector as an app: the browser's own install prompt (beforeinstallprompt, kept
// from the moment it fires, which can be before the panel is open), iOS Safari's manual "Add to
// Home Screen", and whether this page already runs as the installed app.
import { useEffect, useState } from "react";

interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: "accepted" | "dismissed" }>;
}

/** installed: running as the app; prompt: the browser offers its dialog; ios: Share → Add to Home Screen; none: no way offered here. */
export type InstallWay = "installed" | "prompt" | "ios" | "none";

let offered: InstallPromptEvent | null = null;
let justInstalled = false;
const listeners = new Set<() => void>();
const tell = () => listeners.forEach((l) => l());

if (typeof window !== "undefined") {
  window.addEventListener("beforeinstallprompt", (e) => {
    // Keep the browser's mini-infobar away from respondents: the facilitator installs from the panel.
    e.preventDefault();
    offered = e as InstallPromptEvent;
    tell();
  });
  window.addEventListener("appinstalled", () => {
    offered = null;
    justInstalled = true;
    tell();
  });
}

function runsInstalled(): boolean {
  return (
    justInstalled ||
    window.matchMedia?.("(display-mode: standalone)").matches ||
    (navigator as Navigator & { standalone?: boolean }).standalone === true
  );
}

/** Safari on iPhone and iPad (iPadOS says it is a Mac, but has touch), where install is manual. */
function isIosSafari(): boolean {
  const ua = navigator.userAgent;
  const ios = /iPad|iPhone|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
  return ios && /Safari/.test(ua) && !/CriOS|FxiOS|EdgiOS/.test(ua);
}

export function installWay(): InstallWay {
  if (runsInstalled()) return "installed";
  if (offered) return "prompt";
  if (isIosSafari()) return "ios";
  return "none";
}

/** Shows the browser's install dialog; true when the facilitator accepted. */
export async function promptInstall(): Promise<boolean> {
  const e = offered;
  if (!e) return false;
  offered = null;
  await e.prompt();
  const { outcome } = await e.userChoice;
  tell();
  return outcome === "accepted";
}

/** The way to install offered right now, updated when the browser offers or finishes an install. */
export function useInstallWay(): InstallWay | null {
  const [way, setWay] = useState<InstallWay | null>(null);
  useEffect(() => {
    const update = () => setWay(installWay());
    update();
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return way;
}
