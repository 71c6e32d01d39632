// Kiosk mode: one tablet passed around a focus group. The facilitator starts a session and hands
// the tablet over; respondents answer one after another, each in a fresh flow; leaving for the
// facilitator panel needs the PIN; an abandoned response is cleared after an idle warning.
import { useCallback, useEffect, useRef, useState } from "react";
import { RespondentFlow } from "../ui/respondent/RespondentFlow";
import type { CollectorEnv } from "./Collector";
import { checkPin } from "./device";
import { listSessions, type StoredSession } from "./store";
import { collectorWords } from "./strings";
import { FacilitatorPanel } from "./FacilitatorPanel";

export function Kiosk({ env }: { env: CollectorEnv }) {
  const { token } = env;
  const [sessions, setSessions] = useState<StoredSession[] | null>(null);
  const [view, setView] = useState<"respondent" | "panel" | null>(null);
  const [respondent, setRespondent] = useState(0);

  const reload = useCallback(async () => {
    const list = await listSessions(token);
    setSessions(list);
    return list;
  }, [token]);
  useEffect(() => {
    // Reopened mid-session (a reload, a crash): straight back to respondents, never to the panel.
    void reload().then((list) => setView(list.some((s) => s.active) ? "respondent" : "panel"));
  }, [reload]);

  const { adoptLatest } = env;
  const nextRespondent = useCallback(() => {
    setRespondent((k) => k + 1);
    adoptLatest();
  }, [adoptLatest]);

  if (!sessions || !view) return <div className="collector-loading" role="status">Opening…</div>;
  const active = sessions.find((s) => s.active) ?? null;

  if (view === "panel" || !active) {
    return (
      <FacilitatorPanel
        env={env}
        sessions={sessions}
        active={active}
        onSessionsChanged={reload}
        onHandOver={() => {
          nextRespondent();
          setView("respondent");
        }}
      />
    );
  }
  return (
    <KioskRespondent
      key={respondent}
      env={env}
      session={active}
      onIdleReset={nextRespondent}
      onUnlock={() => {
        // Whatever was on screen belongs to nobody now: the next respondent starts clean.
        nextRespondent();
        void reload();
        setView("panel");
      }}
    />
  );
}

function KioskRespondent(props: { env: CollectorEnv; session: StoredSession; onIdleReset: () => void; onUnlock: () => void }) {
  const { env, session, onIdleReset } = props;
  const { idleWarnMs, idleResetMs } = env.timings;
  const rootRef = useRef<HTMLDivElement>(null);
  const [pinOpen, setPinOpen] = useState(false);
  const [warning, setWarning] = useState(false);
  const last = useRef(Date.now());
  /** Which screen shows: the language chooser and the end screens hold nothing to lose. */
  const screenIs = (selector: string) => Boolean(rootRef.current?.querySelector(".rf-screen")?.matches(selector));

  const activity = useCallback(() => {
    last.current = Date.now();
    setWarning(false);
  }, []);
  useEffect(() => {
    const t = window.setInterval(() => {
      if (screenIs(".rf-screen--language, .rf-screen--end")) {
        last.current = Date.now();
        return setWarning(false);
      }
      const idle = Date.now() - last.current;
      if (idle >= idleWarnMs + idleResetMs) onIdleReset();
      else if (idle >= idleWarnMs) setWarning(true);
    }, 250);
    return () => window.clearInterval(t);
  }, [idleWarnMs, idleResetMs, onIdleReset]);

  // A newer survey version waits until nobody is part-way through the survey.
  const { newerVersion, adoptLatest } = env;
  useEffect(() => {
    if (newerVersion === null) return;
    const t = window.setInterval(() => {
      if (screenIs(".rf-screen--language, .rf-screen--consent, .rf-screen--end")) adoptLatest();
    }, 500);
    return () => window.clearInterval(t);
  }, [newerVersion, adoptLatest]);

  const lang = rootRef.current?.querySelector(".rf")?.getAttribute("lang") ?? env.survey.definition.defaultLanguage;
  const dir = rootRef.current?.querySelector(".rf")?.getAttribute("dir") ?? "ltr";
  const w = collectorWords(lang);
  const queued = env.sync.counts?.queued ?? 0;

  const header = (
    <div className="kiosk-bar">
      <span className="kiosk-bar-label" dir="auto">
        {session.session.groupDescription || env.bundle.link.label}
      </span>
      <span className="kiosk-bar-queue" data-queued={queued} dir="ltr">
        {queued > 0 ? `${queued} to send` : "All sent"}
      </span>
      <button type="button" className="kiosk-bar-button" onClick={() => (env.bundle.link.kioskPin ? setPinOpen(true) : props.onUnlock())}>
        Facilitator
      </button>
    </div>
  );

  return (
    <div ref={rootRef} className="kiosk">
      <RespondentFlow
        definition={env.survey.definition}
        mode="kiosk"
        header={header}
        onActivity={activity}
        onComplete={(r) => env.saveResponse(r, session.id)}
        onRefuse={() => env.saveRefusal(session.id)}
      />
      {warning && !pinOpen ? (
        <div className="kiosk-overlay" role="alertdialog" aria-modal="true" aria-labelledby="idle-h" lang={lang} dir={dir}>
          <div className="kiosk-dialog">
            <h2 id="idle-h">{w.stillThere}</h2>
            <p>{w.clearing}</p>
            <button type="button" className="rf-button rf-button--primary rf-button--wide" autoFocus onClick={activity}>
              {w.keepGoing}
            </button>
          </div>
        </div>
      ) : null}
      {pinOpen ? (
        <PinDialog
          stored={env.bundle.link.kioskPin!}
          onCancel={() => {
            activity();
            setPinOpen(false);
          }}
          onUnlock={props.onUnlock}
          onActivity={activity}
        />
      ) : null}
    </div>
  );
}

/** The facilitator's PIN, checked on the tablet (works offline); a few wrong tries lock it for a while. */
function PinDialog(props: { stored: string; onCancel: () => void; onUnlock: () => void; onActivity: () => void }) {
  const [pin, setPin] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const failures = useRef(0);
  const lockedUntil = useRef(0);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    props.onActivity();
    if (Date.now() < lockedUntil.current) {
      setError(`Too many wrong PINs. Wait ${Math.ceil((lockedUntil.current - Date.now()) / 1000)} seconds.`);
      return;
    }
    setChecking(true);
    const ok = await checkPin(props.stored, pin.trim());
    setChecking(false);
    setPin("");
    if (ok) return props.onUnlock();
    failures.current += 1;
    if (failures.current >= 5) {
      failures.current = 0;
      lockedUntil.current = Date.now() + 30_000;
    }
    setError("That PIN is not right.");
  };
  return (
    <div className="kiosk-overlay kiosk-overlay--solid" role="dialog" aria-modal="true" aria-labelledby="pin-h" dir="ltr" lang="en">
      <form className="kiosk-dialog" onSubmit={submit} onInput={props.onActivity}>
        <h2 id="pin-h">Facilitator PIN</h2>
        <p>Only the facilitator can leave the survey screen.</p>
        <label htmlFor="kiosk-pin" className="visually-hidden">
          PIN
        </label>
        <input
          id="kiosk-pin"
          className="kiosk-pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          autoFocus
          value={pin}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "pin-error" : undefined}
          onChange={(e) => setPin(e.target.value)}
        />
        {error ? (
          <p id="pin-error" className="rf-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="kiosk-dialog-actions">
          <button type="button" className="rf-button rf-button--secondary" onClick={props.onCancel}>
            Back to the survey
          </button>
          <button type="submit" className="rf-button rf-button--primary" disabled={checking || pin.trim() === ""}>
            {checking ? "Checking…" : "Open the panel"}
          </button>
        </div>
      </form>
    </div>
  );
}
