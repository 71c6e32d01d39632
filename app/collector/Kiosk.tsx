// Kiosk mode: one tablet passed around a focus group. The facilitator starts a session and hands
// the tablet over; respondents answer one after another, each in a fresh flow; leaving for the
// facilitator panel needs the PIN; an abandoned response is cleared after an idle warning.
// A kiosk link with a PIN must first be armed (arming.ts): until then respondents can answer, but the
// panel opens only by arming. Once armed, opening the tablet outside a session asks for the PIN too.
import { useCallback, useEffect, useRef, useState } from "react";
import { RespondentFlow } from "../ui/respondent/RespondentFlow";
import type { CollectorEnv } from "./Collector";
import { checkPin } from "./device";
import { armingSignInHref, armTablet, rememberDeviceName } from "./arming";
import { afterWrongPin, lockRemaining, triesLeft, unlocked, type PinLock } from "./pin-lock";
import { listSessions, loadArming, loadPinLock, savePinLock, type Arming, type StoredSession } from "./store";
import { fill, lockTime, respondentWords } from "../i18n/respondent";
import { directionOf } from "../i18n/core";
import { panelLanguage, panelTranslator, panelWords } from "./panel-words";
import { FacilitatorPanel } from "./FacilitatorPanel";
import { UpdatePrompt } from "./UpdatePrompt";

type View = "respondent" | "panel" | "locked" | "arming";
/** sessionStorage key: the page was just reloaded after arming (the notice survives the reload; no secret). */
const JUST_ARMED = "sps-just-armed";

export function Kiosk({ env }: { env: CollectorEnv }) {
  const { token } = env;
  // A bundle kept by a page from before arming has no hasPin: treat its kiosk link as one with a PIN.
  const needsArming = env.bundle.link.hasPin !== false;
  const [sessions, setSessions] = useState<StoredSession[] | null>(null);
  const [arming, setArming] = useState<Arming | null>(null);
  const [view, setView] = useState<View | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [respondent, setRespondent] = useState(0);

  const reload = useCallback(async () => {
    const list = await listSessions(token);
    setSessions(list);
    return list;
  }, [token]);
  useEffect(() => {
    void (async () => {
      const [list, armed] = await Promise.all([reload(), loadArming(token)]);
      setArming(armed);
      const url = new URL(window.location.href);
      if (sessionStorage.getItem(JUST_ARMED) === token) {
        sessionStorage.removeItem(JUST_ARMED);
        setNotice("This tablet is armed, and you have been signed out of this browser. From now on the facilitator PIN opens this panel, offline too.");
        return setView("panel");
      }
      if (url.searchParams.get("arm") === "1") {
        // Back from signing in: finish arming once, and drop ?arm=1 so a reload does not ask again.
        url.searchParams.delete("arm");
        const outcome = await armTablet(token);
        if (outcome.ok) {
          // Load the page afresh, now signed out: that copy is what the offline worker keeps, and
          // back/forward then move between whole pages instead of routes that need the network.
          sessionStorage.setItem(JUST_ARMED, token);
          return window.location.replace(url.pathname + url.search);
        }
        window.history.replaceState(window.history.state, "", url.pathname + url.search);
        setNotice(`This tablet was not armed: ${outcome.message}${outcome.status === 403 ? " You have been signed out of this browser." : ""}`);
        if (!armed) return setView("arming");
      }
      // Reopened mid-session (a reload, a crash): straight back to respondents, never to the panel.
      if (list.some((s) => s.active)) return setView("respondent");
      if (!needsArming) return setView("panel");
      setView(armed ? "locked" : "arming");
    })();
  }, [reload, token, needsArming]);

  const { adoptLatest } = env;
  const nextRespondent = useCallback(() => {
    setRespondent((k) => k + 1);
    adoptLatest();
  }, [adoptLatest]);

  if (!sessions || !view) return <div className="collector-loading" role="status">Opening…</div>;
  const active = sessions.find((s) => s.active) ?? null;

  if (view === "arming") {
    return <ArmingScreen env={env} notice={notice} onCollect={() => (nextRespondent(), setView("respondent"))} />;
  }
  if (view === "locked") {
    return (
      <PinDialog
        token={token}
        stored={arming!.kioskPin}
        lang={env.survey.definition.defaultLanguage}
        onCancel={active ? () => setView("respondent") : undefined}
        onUnlock={() => (setNotice(null), setView("panel"))}
        onActivity={() => {}}
      />
    );
  }
  if (view === "panel" || (!active && !needsArming)) {
    const panelLang = env.survey.definition.defaultLanguage;
    return (
      <>
        <UpdatePrompt lang={panelLang} dir={directionOf(panelLang)} show />
        <FacilitatorPanel
          env={env}
          arming={arming}
          sessions={sessions}
          active={active}
          notice={notice}
          onSessionsChanged={reload}
          onHandOver={() => {
            nextRespondent();
            setNotice(null);
            setView("respondent");
          }}
        />
      </>
    );
  }
  return (
    <KioskRespondent
      key={respondent}
      env={env}
      session={active}
      armedPin={needsArming ? (arming?.kioskPin ?? null) : undefined}
      onIdleReset={nextRespondent}
      onArm={() => (nextRespondent(), setView("arming"))}
      onUnlock={() => {
        // Whatever was on screen belongs to nobody now: the next respondent starts clean.
        nextRespondent();
        void reload();
        setView("panel");
      }}
    />
  );
}

/**
 * The first screen of a kiosk link this tablet has not been armed for: what arming is, the way to it
 * (the normal sign-in, back here), and collecting without a session meanwhile. Shows no answers.
 */
function ArmingScreen(props: { env: CollectorEnv; notice: string | null; onCollect: () => void }) {
  const { env } = props;
  const title = env.survey.definition.title[env.survey.definition.defaultLanguage] ?? "";
  const online = typeof navigator === "undefined" || navigator.onLine;
  const [deviceName, setDeviceName] = useState("");
  // The facilitator's language, as on the panel (panel-words.ts).
  const lang = panelLanguage(typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language]), env.survey.definition.defaultLanguage);
  const pw = panelWords(lang);
  const t = panelTranslator(lang);
  return (
    <div className="panel" lang={lang} dir={directionOf(lang)} data-view="arming">
      <header className="panel-head">
        <h1>{t("armTitle")}</h1>
        <p>{t("armHead", { title, link: env.bundle.link.label })}</p>
      </header>
      {props.notice ? (
        <p className="panel-warning" role="alert">
          {props.notice}
        </p>
      ) : null}
      <section className="panel-card" aria-labelledby="arm-h">
        <h2 id="arm-h">{t("armClosed")}</h2>
        <p>{t("armExplain")}</p>
        {online ? null : <p className="panel-warning">{t("armOffline")}</p>}
        <label className="panel-form-label">
          {pw.deviceName}
          <input
            className="panel-input"
            defaultValue={deviceName}
            maxLength={60}
            placeholder={pw.deviceNamePlaceholder}
            autoComplete="off"
            onChange={(e) => setDeviceName(e.target.value)}
          />
        </label>
        <p className="hint">{pw.deviceNameHint}</p>
        <a
          className="rf-button rf-button--primary rf-button--wide"
          href={armingSignInHref(env.token, window.location.search)}
          data-action="arm"
          onClick={() => rememberDeviceName(env.token, deviceName)}
        >
          {t("armSignIn")}
        </a>
      </section>
      <section className="panel-card" aria-labelledby="collect-h">
        <h2 id="collect-h">{t("collectBefore")}</h2>
        <p className="hint">{t("collectBeforeHint")}</p>
        <button type="button" className="rf-button rf-button--secondary" onClick={props.onCollect}>
          {t("handOver")}
        </button>
      </section>
    </div>
  );
}

function KioskRespondent(props: {
  env: CollectorEnv;
  session: StoredSession | null;
  /** The PIN's check value; null: the link has a PIN but this tablet is not armed; undefined: no PIN. */
  armedPin: string | null | undefined;
  onIdleReset: () => void;
  onUnlock: () => void;
  onArm: () => void;
}) {
  const { env, session, onIdleReset } = props;
  const { idleWarnMs, idleResetMs } = env.timings;
  const rootRef = useRef<HTMLDivElement>(null);
  const [pinOpen, setPinOpen] = useState(false);
  const [notArmedOpen, setNotArmedOpen] = useState(false);
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

  // Between respondents (start and end screens): the only moments a new build of the app is offered.
  const [between, setBetween] = useState(false);
  useEffect(() => {
    const t = window.setInterval(() => setBetween(screenIs(".rf-screen--language, .rf-screen--consent, .rf-screen--end")), 500);
    return () => window.clearInterval(t);
  }, []);

  const lang = rootRef.current?.querySelector(".rf")?.getAttribute("lang") ?? env.survey.definition.defaultLanguage;
  const dir = rootRef.current?.querySelector(".rf")?.getAttribute("dir") ?? "ltr";
  const w = respondentWords(lang);
  const queued = env.sync.counts?.queued ?? 0;

  // The bar is drawn by the flow in the language on screen (it changes when the respondent chooses).
  const header = (screenLang: string) => {
    const words = respondentWords(screenLang);
    return (
      <div className="kiosk-bar">
        <span className="kiosk-bar-label" dir="auto">
          {barLabel(env, session, screenLang)}
        </span>
        <span className="kiosk-bar-queue" data-queued={queued}>
          {queued > 0 ? fill(words.barToSend, { n: queued }, screenLang) : words.barAllSent}
        </span>
        <button
          type="button"
          className="kiosk-bar-button"
          onClick={() => (props.armedPin === undefined ? props.onUnlock() : props.armedPin === null ? setNotArmedOpen(true) : setPinOpen(true))}
        >
          {words.barFacilitator}
        </button>
      </div>
    );
  };

  return (
    <div ref={rootRef} className="kiosk">
      <UpdatePrompt lang={lang} dir={dir} show={between && !warning && !pinOpen} />
      <RespondentFlow
        definition={env.survey.definition}
        mode="kiosk"
        header={header}
        onActivity={activity}
        onComplete={(r) => env.saveResponse(r, session?.id)}
        onRefuse={() => env.saveRefusal(session?.id ?? null)}
        voiceFor={env.voiceFor}
      />
      {warning && !pinOpen && !notArmedOpen ? (
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
      {pinOpen && props.armedPin ? (
        <PinDialog
          token={env.token}
          stored={props.armedPin}
          lang={lang}
          onCancel={() => {
            activity();
            setPinOpen(false);
          }}
          onUnlock={props.onUnlock}
          onActivity={activity}
        />
      ) : null}
      {notArmedOpen ? (
        <div className="kiosk-overlay" role="dialog" aria-modal="true" aria-labelledby="unarmed-h" lang={lang} dir={dir}>
          <div className="kiosk-dialog">
            <h2 id="unarmed-h">{w.pinTitle}</h2>
            <p>{w.notArmed}</p>
            <div className="kiosk-dialog-actions">
              <button type="button" className="rf-button rf-button--secondary" autoFocus onClick={() => (activity(), setNotArmedOpen(false))}>
                {w.backToSurvey}
              </button>
              <button type="button" className="rf-button rf-button--primary" onClick={props.onArm}>
                {w.armIt}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}

/**
 * What the bar names above a respondent's screen: the session's group only when the facilitator
 * marked it public ("women 18–35" is their note, not the respondent's business), else the survey's
 * title in the language on screen. Never the link's label, which staff wrote for staff.
 */
function barLabel(env: CollectorEnv, session: StoredSession | null, lang: string): string {
  if (session?.session.groupPublic && session.session.groupDescription) return session.session.groupDescription;
  const title = env.survey.definition.title;
  return title[lang] ?? title[env.survey.definition.defaultLanguage] ?? "";
}

/**
 * The facilitator's PIN, checked on the tablet against the check value arming stored (works offline).
 * Each try is counted in IndexedDB before the PIN is checked, so neither a reload nor closing the page
 * mid-check gives a guesser a fresh try; wrong tries lock the tablet for longer and longer (pin-lock.ts).
 * Its words are in the language on screen: it opens over a respondent's screen.
 */
function PinDialog(props: { token: string; stored: string; lang: string; onCancel?: () => void; onUnlock: () => void; onActivity: () => void }) {
  const w = respondentWords(props.lang);
  const dir = directionOf(props.lang);
  const [pin, setPin] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [lock, setLock] = useState<PinLock | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    void loadPinLock(props.token).then((l) => setLock(l ?? unlocked()));
  }, [props.token]);
  const remaining = lock ? lockRemaining(lock, now) : 0;
  useEffect(() => {
    if (remaining <= 0) return;
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, [remaining]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    props.onActivity();
    if (!lock || checking) return;
    const at = Date.now();
    setNow(at);
    if (lockRemaining(lock, at) > 0) return;
    setChecking(true);
    // Counted as wrong first; undone below if it is right.
    const counted = afterWrongPin(lock, at);
    await savePinLock(props.token, counted);
    const ok = await checkPin(props.stored, pin.trim());
    setPin("");
    if (ok) {
      await savePinLock(props.token, unlocked());
      setChecking(false);
      return props.onUnlock();
    }
    setChecking(false);
    setLock(counted);
    setNow(Date.now());
    setError(lockRemaining(counted) > 0 ? w.pinWrongLocked : fill(w.pinWrong, { n: triesLeft(counted) }, props.lang));
  };
  return (
    <div className="kiosk-overlay kiosk-overlay--solid" role="dialog" aria-modal="true" aria-labelledby="pin-h" dir={dir} lang={props.lang} data-view="pin">
      <form className="kiosk-dialog" onSubmit={submit} onInput={props.onActivity}>
        <h2 id="pin-h">{w.pinTitle}</h2>
        <p>{w.pinOnly}</p>
        <label htmlFor="kiosk-pin" className="visually-hidden">
          {w.pinLabel}
        </label>
        <input
          id="kiosk-pin"
          className="kiosk-pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          autoFocus
          dir="ltr"
          value={pin}
          disabled={remaining > 0}
          aria-invalid={error ? true : undefined}
          aria-describedby={error || remaining > 0 ? "pin-error" : undefined}
          onChange={(e) => setPin(e.target.value)}
        />
        {remaining > 0 ? (
          <p id="pin-error" className="rf-error" role="alert" data-locked-ms={remaining}>
            {fill(w.pinLocked, { time: lockTime(remaining) }, props.lang)}
          </p>
        ) : error ? (
          <p id="pin-error" className="rf-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="kiosk-dialog-actions">
          {props.onCancel ? (
            <button type="button" className="rf-button rf-button--secondary" onClick={props.onCancel}>
              {w.backToSurvey}
            </button>
          ) : null}
          <button type="submit" className="rf-button rf-button--primary" disabled={checking || remaining > 0 || pin.trim() === ""}>
            {checking ? w.pinChecking : w.pinOpen}
          </button>
        </div>
      </form>
    </div>
  );
}
