// The respondent flow: language, consent, one question per screen, thank-you. Shared by the
// authoring preview and the tablet/phone collection page, so it takes everything through props and
// stores nothing itself: the caller's onComplete decides where answers go.
//
// Only the pure logic and validation modules are imported (not app/survey/index.ts), to keep the
// collection bundle small. Nothing a respondent or an author typed is ever rendered as HTML.
import { useCallback, useEffect, useId, useRef, useState, type ReactNode, type RefObject } from "react";
import type { AnswerValue, Answers, Language, LocalizedText, Question, SurveyDefinition } from "../../survey/definition";
import { dropHiddenAnswers, hasAnswer, answerOf, visibility, meetsConstraint } from "../../survey/logic";
import { pageOf, sectionOf } from "../../survey/sections";
import { MAX_TEXT_ANSWER, validateAnswers, type ValidationError } from "../../survey/validate";
import { formatMessage, formatNumber } from "../../i18n/core";
import { respondentWords as uiStrings, type RespondentWords as UiStrings } from "../../i18n/respondent";
import { CONSENT_PROMPT, optionPrompt, questionPrompt } from "../../voices/prompts";
import { VoiceButton } from "./VoiceButton";

/** Fills a frame message; callers pass numbers already written in the respondent's digits. */
const format = (template: string, values: Record<string, string | number>) =>
  formatMessage(template, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])), "en");

export type RespondentMode = "kiosk" | "self" | "preview";
export type RespondentStart = "language" | "consent" | { question: string };

export interface CompletedResponse {
  language: string;
  answers: Answers;
  /** ISO timestamps: when consent was given, and when the respondent submitted. */
  startedAt: string;
  completedAt: string;
}

export interface RespondentFlowProps {
  definition: SurveyDefinition;
  mode: RespondentMode;
  /** A preset language; when absent and the survey has several languages, the chooser is shown. */
  language?: string;
  /** Awaited before the thank-you screen shows; if it throws, the respondent is asked to try again. */
  onComplete?: (r: CompletedResponse) => Promise<void> | void;
  /** The respondent declined consent. Nothing else is stored. */
  onRefuse?: (language: string) => Promise<void> | void;
  /** Called on every tap and key press, for kiosk idle timers. */
  onActivity?: () => void;
  /** Preview jumps. Changing it (or `language`) starts a fresh session there. */
  startAt?: RespondentStart;
  /** Shown above every screen, e.g. the kiosk status bar. */
  header?: ReactNode | ((language: string) => ReactNode);
  /** Progress saved earlier on this device, to continue from (phones only: see collector/draft.ts). */
  resume?: FlowProgress | null;
  /** Called as the respondent goes; null once they are done (answers saved, or consent refused). */
  onProgress?: (progress: FlowProgress | null) => void;
  /** The address of a prompt's recorded voice in a language, or null (then read-aloud, if any). */
  voiceFor?: (prompt: string, language: string) => string | null;
}

/** Where a respondent is and what they answered so far: enough to continue after a reload. */
export interface FlowProgress {
  language: string | null;
  screen: "language" | "consent" | { question: string };
  answers: Answers;
  /** What was typed in number boxes and not yet a number. */
  typed: Record<string, string>;
  startedAt: string | null;
}

/** How long (ms) a kiosk shows the thank-you screen before it returns to the start by itself. */
const KIOSK_RETURN_MS = 8000;

type Screen =
  | { kind: "language" }
  | { kind: "consent" }
  | { kind: "question"; id: string }
  | { kind: "refused" }
  | { kind: "done" };

interface Run {
  /** Bumped on every reset: the session component is keyed on it, so nothing of the last respondent survives. */
  session: number;
  propsKey: string;
  language: string | null;
  useStartAt: boolean;
}

function initialLanguage(def: SurveyDefinition, preset: string | undefined): string | null {
  if (preset && def.languages.some((l) => l.code === preset)) return preset;
  if (def.languages.length === 1) return def.languages[0].code;
  if (preset) return def.languages.some((l) => l.code === def.defaultLanguage) ? def.defaultLanguage : def.languages[0].code;
  return null;
}

const startKey = (s: RespondentStart | undefined) => (s === undefined ? "" : typeof s === "string" ? s : `q:${s.question}`);

export function RespondentFlow(props: RespondentFlowProps) {
  const { definition: def, mode } = props;
  const propsKey = `${startKey(props.startAt)}|${props.language ?? ""}`;
  const [run, setRun] = useState<Run>(() => ({
    session: 0,
    propsKey,
    language: props.resume?.language ?? initialLanguage(def, props.language),
    useStartAt: true,
  }));
  // A new preset language or preview jump starts over (the "adjust state while rendering" pattern).
  if (run.propsKey !== propsKey) {
    setRun({ session: run.session + 1, propsKey, language: initialLanguage(def, props.language), useStartAt: true });
  }

  const rootRef = useRef<HTMLDivElement>(null);
  const activity = useRef(props.onActivity);
  activity.current = props.onActivity;
  const onActivity = useCallback(() => activity.current?.(), []);

  const restart = useCallback(() => {
    setRun((r) => ({ ...r, session: r.session + 1, language: initialLanguage(def, props.language), useStartAt: false }));
  }, [def, props.language]);

  // After a reset: nothing focused from the last respondent, and back to the top of the page.
  const lastSession = useRef(run.session);
  useEffect(() => {
    if (lastSession.current === run.session) return;
    lastSession.current = run.session;
    if (mode === "preview") scrollIntoViewIfAbove(rootRef.current);
    else window.scrollTo(0, 0);
  }, [run.session, mode]);

  const lang = run.language ?? def.defaultLanguage;
  const dir = languageOf(def, lang)?.direction ?? "ltr";

  return (
    <div
      ref={rootRef}
      className={`rf rf--${mode}`}
      dir={dir}
      lang={lang}
      onPointerDownCapture={onActivity}
      onKeyDownCapture={onActivity}
      onInputCapture={onActivity}
    >
      {props.header ? <div className="rf-header">{typeof props.header === "function" ? props.header(lang) : props.header}</div> : null}
      <FlowSession
        key={run.session}
        def={def}
        mode={mode}
        language={run.language}
        fixedLanguage={props.language !== undefined}
        startAt={run.useStartAt ? props.startAt : undefined}
        focusOnMount={mode !== "preview" || !run.useStartAt}
        onLanguage={(code) => setRun((r) => ({ ...r, language: code }))}
        onComplete={props.onComplete}
        onRefuse={props.onRefuse}
        onRestart={restart}
        resume={run.session === 0 ? props.resume ?? null : null}
        onProgress={props.onProgress}
        voiceFor={props.voiceFor}
      />
    </div>
  );
}

function languageOf(def: SurveyDefinition, code: string): Language | undefined {
  return def.languages.find((l) => l.code === code);
}

function scrollIntoViewIfAbove(el: HTMLElement | null) {
  if (el && el.getBoundingClientRect().top < 0) el.scrollIntoView({ block: "start" });
}

/** Text in the respondent's language; the default language only if a translation is missing. */
function tr(text: LocalizedText | undefined, lang: string, def: SurveyDefinition): string {
  if (!text) return "";
  return (text[lang]?.trim() ? text[lang] : undefined) ?? text[def.defaultLanguage] ?? Object.values(text)[0] ?? "";
}


// ---------------------------------------------------------------------------------------------
// One respondent's session. Remounted (new key) for every respondent.

interface SessionProps {
  def: SurveyDefinition;
  mode: RespondentMode;
  language: string | null;
  fixedLanguage: boolean;
  startAt: RespondentStart | undefined;
  focusOnMount: boolean;
  onLanguage: (code: string) => void;
  onComplete: RespondentFlowProps["onComplete"];
  onRefuse: RespondentFlowProps["onRefuse"];
  onRestart: () => void;
  resume: FlowProgress | null;
  onProgress: RespondentFlowProps["onProgress"];
  voiceFor: RespondentFlowProps["voiceFor"];
}

function resumedScreen(r: FlowProgress): Screen {
  return typeof r.screen === "string" ? { kind: r.screen } : { kind: "question", id: r.screen.question };
}

function initialScreen(def: SurveyDefinition, language: string | null, fixedLanguage: boolean, startAt: RespondentStart | undefined): Screen {
  const chooser = def.languages.length > 1;
  if (startAt && typeof startAt === "object") {
    if (def.questions.some((q) => q.id === startAt.question)) return { kind: "question", id: startAt.question };
  }
  if (startAt === "language" && chooser) return { kind: "language" };
  if (startAt === "consent") return { kind: "consent" };
  return language === null && chooser && !fixedLanguage ? { kind: "language" } : { kind: "consent" };
}

function screenKey(s: Screen): string {
  return s.kind === "question" ? `q:${s.id}` : s.kind;
}

function FlowSession(p: SessionProps) {
  const { def, mode } = p;
  const lang = p.language ?? def.defaultLanguage;
  const s = uiStrings(lang);
  const [screen, setScreen] = useState<Screen>(() => (p.resume ? resumedScreen(p.resume) : initialScreen(def, p.language, p.fixedLanguage, p.startAt)));
  const [answers, setAnswers] = useState<Answers>(() => p.resume?.answers ?? {});
  // What was typed in number boxes, so "1." or "abc" survive re-renders until corrected.
  const [drafts, setDrafts] = useState<Record<string, string>>(() => p.resume?.typed ?? {});
  const [error, setError] = useState<string | null>(null);
  // On a field-list screen, each question's own problem.
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const startedAt = useRef<string | null>(p.resume?.startedAt ?? null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const screenRef = useRef<HTMLDivElement>(null);
  const speech = useSpeech(lang);
  const uid = useId();

  const key = screenKey(screen);
  // Each new screen: the heading takes focus (screen readers announce it) and the page goes to the top.
  const lastFocused = useRef<string | null>(p.focusOnMount ? null : key);
  useEffect(() => {
    if (lastFocused.current === key) return;
    lastFocused.current = key;
    headingRef.current?.focus({ preventScroll: true });
    if (mode === "preview") scrollIntoViewIfAbove(screenRef.current);
    else window.scrollTo(0, 0);
  }, [key, mode]);

  // Progress, as it changes, for a caller that keeps it (a phone's draft); null once the respondent is done.
  const progressRef = useRef(p.onProgress);
  progressRef.current = p.onProgress;
  const language = p.language;
  useEffect(() => {
    const report = progressRef.current;
    if (!report) return;
    if (screen.kind === "done" || screen.kind === "refused") return report(null);
    report({
      language,
      screen: screen.kind === "question" ? { question: screen.id } : screen.kind,
      answers,
      typed: drafts,
      startedAt: startedAt.current,
    });
  }, [screen, answers, drafts, language]);

  const stopSpeech = speech.stop;
  const go = (next: Screen) => {
    stopSpeech();
    setError(null);
    setFieldErrors({});
    if (next.kind === "question" && startedAt.current === null) startedAt.current = new Date().toISOString();
    setScreen(next);
  };

  // The kiosk returns to the start by itself once a respondent is done.
  const restartRef = useRef(p.onRestart);
  restartRef.current = p.onRestart;
  useEffect(() => {
    if (mode !== "kiosk" || (screen.kind !== "done" && screen.kind !== "refused")) return;
    const t = window.setTimeout(() => restartRef.current(), KIOSK_RETURN_MS);
    return () => window.clearTimeout(t);
  }, [mode, screen.kind]);

  const H = mode === "preview" ? "h2" : "h1";

  if (screen.kind === "language") {
    const others = def.languages.filter((l) => l.code !== lang);
    return (
      <div className="rf-screen rf-screen--language" ref={screenRef}>
        <H className="rf-title" ref={headingRef} tabIndex={-1}>
          {s.chooseLanguage}
        </H>
        {others.map((l) => {
          const t = uiStrings(l.code).chooseLanguage;
          return t === s.chooseLanguage ? null : (
            <p key={l.code} className="rf-subtitle" lang={l.code} dir={l.direction}>
              {t}
            </p>
          );
        })}
        <div className="rf-languages">
          {def.languages.map((l) => (
            <button
              key={l.code}
              type="button"
              className="rf-option rf-language"
              lang={l.code}
              dir={l.direction}
              onClick={() => {
                p.onLanguage(l.code);
                go({ kind: "consent" });
              }}
            >
              {l.name}
            </button>
          ))}
        </div>
      </div>
    );
  }

  if (screen.kind === "consent") {
    const consent = tr(def.consent, lang, def);
    const title = tr(def.title, lang, def);
    const canGoBack = def.languages.length > 1 && !p.fixedLanguage;
    const refuse = async () => {
      if (busyRef.current) return;
      busyRef.current = true;
      setBusy(true);
      try {
        await p.onRefuse?.(lang);
      } catch (e) {
        // A refusal that fails to be counted must still end the session: the person said no.
        console.error("Recording the refusal failed", e);
      }
      busyRef.current = false;
      setBusy(false);
      setAnswers({});
      setDrafts({});
      go({ kind: "refused" });
    };
    return (
      <div className="rf-screen rf-screen--consent" ref={screenRef}>
        <div className="rf-toolbar">
          <Voice src={p.voiceFor?.(CONSENT_PROMPT, lang)} prompt={CONSENT_PROMPT} s={s} fallback={<ReadAloud speech={speech} s={s} parts={[title, consent]} />} />
        </div>
        <H className="rf-title" ref={headingRef} tabIndex={-1} lang={fallbackLanguage(def, lang, def.title)?.code}>
          {title}
        </H>
        <FallbackMark to={fallbackLanguage(def, lang, def.title)} block />
        <div className="rf-consent" lang={fallbackLanguage(def, lang, def.consent)?.code}>
          <Paragraphs text={consent} />
          <FallbackMark to={fallbackLanguage(def, lang, def.consent)} />
        </div>
        <div className="rf-consent-actions">
          <button type="button" className="rf-button rf-button--primary" disabled={busy} onClick={() => go({ kind: "question", id: firstQuestionId(def, answers) })}>
            {s.agree}
          </button>
          <button type="button" className="rf-button rf-button--secondary" disabled={busy} onClick={refuse}>
            {s.disagree}
          </button>
        </div>
        {canGoBack ? (
          <div className="rf-nav rf-nav--plain">
            <button type="button" className="rf-button rf-button--back" onClick={() => go({ kind: "language" })}>
              <span className="rf-arrow" aria-hidden="true">
                ←
              </span>
              <span>{s.back}</span>
            </button>
          </div>
        ) : null}
      </div>
    );
  }

  if (screen.kind === "refused" || screen.kind === "done") {
    return (
      <div className={`rf-screen rf-screen--end rf-screen--${screen.kind}`} ref={screenRef}>
        {screen.kind === "done" ? (
          <div className="rf-end-mark" aria-hidden="true">
            ✓
          </div>
        ) : null}
        <H className="rf-title" ref={headingRef} tabIndex={-1}>
          {s.thankYou}
        </H>
        <p className="rf-end-text">{screen.kind === "done" ? s.saved : s.thanksForTime}</p>
        {mode !== "self" ? (
          <button type="button" className="rf-button rf-button--primary rf-button--wide" onClick={p.onRestart}>
            {s.nextPerson}
          </button>
        ) : null}
      </div>
    );
  }

  // Question screens. Visibility is recomputed from the live answers on every render.
  const seen = visibility(def, answers);
  const index = def.questions.findIndex((q) => q.id === screen.id);
  if (index < 0) {
    // The author deleted the question being previewed: fall back to the first one.
    const first = firstQuestionId(def, answers);
    return <Redirect to={() => setScreen({ kind: "question", id: first })} />;
  }
  const q = def.questions[index];
  // The screen's questions: q alone, or a field-list section's visible questions together.
  const pageIds = pageOf(def, q.id);
  const first = def.questions.findIndex((x) => x.id === pageIds[0]);
  const last = first + pageIds.length - 1;
  const fieldList = pageIds.length > 1;
  const shownHere = def.questions.slice(first, last + 1).filter((x) => seen.get(x.id));
  const onPage = fieldList && shownHere.length ? shownHere : [q];
  const visible = def.questions.filter((x) => seen.get(x.id));
  const steps = visible.length;
  const step = def.questions.slice(0, last + 1).filter((x) => seen.get(x.id) || x.id === q.id).length;
  const counted = visible.filter((x) => x.type !== "info");
  const countedHere = onPage.filter((x) => x.type !== "info");
  const countedIndex = countedHere.length ? counted.findIndex((x) => x.id === countedHere[0].id) : -1;
  const nextQ = def.questions.slice(last + 1).find((x) => seen.get(x.id));
  const prevQ = [...def.questions.slice(0, first)].reverse().find((x) => seen.get(x.id));

  const setAnswer = (id: string, value: AnswerValue | undefined) => {
    setError(null);
    setFieldErrors((e) => (e[id] ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== id)) : e));
    setAnswers((a) => {
      const copy = { ...a };
      if (value === undefined || !hasAnswer(value)) delete copy[id];
      else copy[id] = value;
      return copy;
    });
  };

  const submit = async () => {
    if (busyRef.current) return;
    const final = completedAnswers(def, answers);
    const result = validateAnswers(def, final);
    if (!result.ok) {
      // The first question with a fault, in survey order, and the respondent's words for its code.
      const faults = new Map(result.errors.map((e) => [e.path.replace(/^answers\.?/, ""), e]));
      const target = def.questions.find((x) => faults.has(x.id));
      if (target) {
        if (!onPage.some((x) => x.id === target.id)) go({ kind: "question", id: target.id });
        const fault = faults.get(target.id)!;
        const words = fault.code === "constraint_failed" ? tr(target.constraint?.message, lang, def) || s.checkAnswer : wordsFor(fault, target, s);
        if (pageOf(def, target.id).length > 1) setFieldErrors({ [target.id]: words });
        else setError(words);
      } else setError(s.checkAnswer);
      return;
    }
    busyRef.current = true;
    setBusy(true);
    try {
      await p.onComplete?.({
        language: lang,
        answers: final,
        startedAt: startedAt.current ?? new Date().toISOString(),
        completedAt: new Date().toISOString(),
      });
    } catch (e) {
      console.error("Saving the answers failed", e);
      busyRef.current = false;
      setBusy(false);
      setError(s.saveFailed);
      return;
    }
    busyRef.current = false;
    setBusy(false);
    // Saved: nothing of this respondent stays in memory while the thank-you screen shows.
    setAnswers({});
    setDrafts({});
    go({ kind: "done" });
  };

  /** What holds the respondent on a question of this screen: the same checks the server makes. */
  const problemWith = (x: Question): string | null => {
    const problem = answerProblem(x, answerOf(answers, x.id), drafts[x.id], s);
    if (problem) return problem;
    if (!meetsConstraint(x, dropHiddenAnswers(def, answers))) return tr(x.constraint?.message, lang, def) || s.checkAnswer;
    return null;
  };
  const next = () => {
    if (fieldList) {
      const problems = Object.fromEntries(onPage.map((x) => [x.id, problemWith(x)] as const).filter((e): e is [string, string] => e[1] !== null));
      if (Object.keys(problems).length) {
        setFieldErrors(problems);
        return;
      }
    } else {
      const problem = problemWith(q);
      if (problem) {
        setError(problem);
        return;
      }
    }
    if (nextQ) go({ kind: "question", id: nextQ.id });
    else void submit();
  };
  const back = () => {
    // To the start of the previous screen, which may hold several questions.
    if (prevQ) go({ kind: "question", id: pageOf(def, prevQ.id).find((id) => seen.get(id)) ?? prevQ.id });
    else go({ kind: "consent" });
  };

  const headingId = `${uid}-label`;
  const helpId = `${uid}-help`;
  const errorId = `${uid}-error`;
  const label = tr(q.label, lang, def);
  const help = tr(q.help, lang, def);
  // A version published with translation gaps shows the default language's text there, each marked.
  const fallback = (t: LocalizedText | undefined) => fallbackLanguage(def, lang, t);
  const optionsOf = (x: Question): ShownOption[] => (x.options ?? []).map((o) => ({ code: o.code, face: o.face, label: tr(o.label, lang, def), fallback: fallback(o.label) }));
  const options = optionsOf(q);
  const section = sectionOf(def, q);
  const sectionLabel = tr(section?.label, lang, def);
  const SectionH = H;
  const QuestionH = sectionLabel ? (H === "h1" ? "h2" : "h3") : H;
  // A field-list screen counts its questions as a range: "Question 1–3 of 7".
  const countedTo = countedIndex + countedHere.length;
  const progressText =
    countedIndex >= 0
      ? format(s.questionOf, {
          n: countedHere.length > 1 ? `${formatNumber(countedIndex + 1, lang)}–${formatNumber(countedTo, lang)}` : formatNumber(countedIndex + 1, lang),
          total: formatNumber(counted.length, lang),
        })
      : null;
  const pct = steps > 0 ? Math.round((Math.min(step, steps) / steps) * 100) : 0;
  const spoken = fieldList
    ? [sectionLabel, ...onPage.flatMap((x) => [tr(x.label, lang, def), tr(x.help, lang, def), ...optionsOf(x).map((o) => o.label)])]
    : [sectionLabel, label, help, ...options.map((o) => o.label)];

  return (
    <div className={`rf-screen rf-screen--question ${fieldList ? "rf-screen--fields" : `rf-type--${q.type}`}`} ref={screenRef}>
      <div className="rf-toolbar">
        <div className="rf-progress-wrap">
          <div
            className="rf-progress"
            role="progressbar"
            aria-label={s.progress}
            aria-valuemin={0}
            aria-valuemax={steps}
            aria-valuenow={Math.min(step, steps)}
            aria-valuetext={progressText ?? undefined}
          >
            <div className="rf-progress-bar" style={{ inlineSize: `${pct}%` }} />
          </div>
          {progressText ? <p className="rf-count">{progressText}</p> : null}
        </div>
        {fieldList ? (
          <ReadAloud speech={speech} s={s} parts={spoken} />
        ) : (
          <Voice src={p.voiceFor?.(questionPrompt(q.id), lang)} prompt={questionPrompt(q.id)} s={s} fallback={<ReadAloud speech={speech} s={s} parts={spoken} />} />
        )}
      </div>

      {sectionLabel ? (
        <div className="rf-section">
          <SectionH className="rf-section-title" ref={fieldList ? headingRef : undefined} tabIndex={fieldList ? -1 : undefined} lang={fallback(section?.label)?.code}>
            {sectionLabel}
          </SectionH>
          <FallbackMark to={fallback(section?.label)} />
        </div>
      ) : null}

      {fieldList ? (
        onPage.map((x, i) => (
          <FieldListQuestion
            key={x.id}
            q={x}
            id={`${uid}-f${i}`}
            H={QuestionH}
            headingRef={!sectionLabel && i === 0 ? headingRef : undefined}
            lang={lang}
            def={def}
            s={s}
            options={optionsOf(x)}
            value={answerOf(answers, x.id)}
            draft={drafts[x.id]}
            error={fieldErrors[x.id] ?? null}
            onChange={(v) => setAnswer(x.id, v)}
            onDraft={(text) => setDrafts((d) => ({ ...d, [x.id]: text }))}
          />
        ))
      ) : (
        <>
          <QuestionH className="rf-title rf-question" id={headingId} ref={headingRef} tabIndex={-1} lang={fallback(q.label)?.code}>
            {label}
          </QuestionH>
          <FallbackMark to={fallback(q.label)} block />
          {help ? (
            <div className="rf-help" id={helpId} lang={fallback(q.help)?.code}>
              <Paragraphs text={help} />
              <FallbackMark to={fallback(q.help)} />
            </div>
          ) : null}

          <QuestionInput
            key={q.id}
            q={q}
            lang={lang}
            s={s}
            options={options}
            value={answerOf(answers, q.id)}
            draft={drafts[q.id]}
            labelledBy={headingId}
            describedBy={[help ? helpId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined}
            invalid={error !== null}
            onChange={(v) => setAnswer(q.id, v)}
            onDraft={(text) => setDrafts((d) => ({ ...d, [q.id]: text }))}
            optionVoice={p.voiceFor ? (code) => p.voiceFor!(optionPrompt(q.id, code), lang) : undefined}
          />
        </>
      )}

      {error ? (
        <p className="rf-error" id={errorId} role="alert">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}

      <div className="rf-nav">
        <button type="button" className="rf-button rf-button--back" onClick={back} disabled={busy}>
          <span className="rf-arrow" aria-hidden="true">
            ←
          </span>
          <span>{s.back}</span>
        </button>
        <button type="button" className="rf-button rf-button--primary rf-button--next" onClick={next} disabled={busy} aria-busy={busy || undefined}>
          <span>{busy ? s.saving : nextQ ? s.next : s.submit}</span>
          {nextQ && !busy ? (
            <span className="rf-arrow" aria-hidden="true">
              →
            </span>
          ) : null}
        </button>
      </div>
    </div>
  );
}

/** The default language, when a text is shown in it for want of the respondent's language. */
function fallbackLanguage(def: SurveyDefinition, lang: string, t: LocalizedText | undefined): Language | undefined {
  if (lang === def.defaultLanguage || !t || t[lang]?.trim() || !t[def.defaultLanguage]?.trim()) return undefined;
  return languageOf(def, def.defaultLanguage);
}

/** The mark beside a text shown in the default language: that language's name, in its own script. */
function FallbackMark(props: { to: Language | undefined; block?: boolean }) {
  const { to } = props;
  if (!to) return null;
  const Tag = props.block ? "p" : "span";
  return (
    <Tag className={`rf-fallback${props.block ? "" : " rf-fallback--inline"}`} lang={to.code} dir={to.direction}>
      {to.name}
    </Tag>
  );
}

/** One question of a field-list screen: its heading, hint, answer and its own problem. */
function FieldListQuestion(p: {
  q: Question;
  id: string;
  H: "h1" | "h2" | "h3";
  headingRef: RefObject<HTMLHeadingElement> | undefined;
  lang: string;
  def: SurveyDefinition;
  s: UiStrings;
  options: ShownOption[];
  value: AnswerValue | undefined;
  draft: string | undefined;
  error: string | null;
  onChange: (v: AnswerValue | undefined) => void;
  onDraft: (text: string) => void;
}) {
  const { q, id, H, def, lang } = p;
  const label = tr(q.label, lang, def);
  const help = tr(q.help, lang, def);
  const labelFallback = fallbackLanguage(def, lang, q.label);
  const helpFallback = fallbackLanguage(def, lang, q.help);
  return (
    <div className={`rf-field rf-type--${q.type}`}>
      <H className="rf-field-title" id={`${id}-label`} ref={p.headingRef} tabIndex={p.headingRef ? -1 : undefined} lang={labelFallback?.code}>
        {label}
      </H>
      <FallbackMark to={labelFallback} block />
      {help ? (
        <div className="rf-help" id={`${id}-help`} lang={helpFallback?.code}>
          <Paragraphs text={help} />
          <FallbackMark to={helpFallback} />
        </div>
      ) : null}
      <QuestionInput
        q={q}
        lang={lang}
        s={p.s}
        options={p.options}
        value={p.value}
        draft={p.draft}
        labelledBy={`${id}-label`}
        describedBy={[help ? `${id}-help` : null, p.error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined}
        invalid={p.error !== null}
        onChange={p.onChange}
        onDraft={p.onDraft}
      />
      {p.error ? (
        <p className="rf-error" id={`${id}-error`} role="alert">
          <span aria-hidden="true">⚠ </span>
          {p.error}
        </p>
      ) : null}
    </div>
  );
}

function Redirect(props: { to: () => void }) {
  const { to } = props;
  useEffect(() => to(), [to]);
  return null;
}

function firstQuestionId(def: SurveyDefinition, answers: Answers): string {
  const seen = visibility(def, answers);
  return (def.questions.find((q) => seen.get(q.id)) ?? def.questions[0]).id;
}

/** What is submitted: hidden questions' answers dropped, text trimmed, empty answers left out. */
function completedAnswers(def: SurveyDefinition, answers: Answers): Answers {
  const kept = dropHiddenAnswers(def, answers);
  const out: Answers = {};
  for (const [id, value] of Object.entries(kept)) {
    const v = typeof value === "string" ? value.trim() : value;
    if (hasAnswer(v)) out[id] = v;
  }
  return out;
}

/** The respondent-facing problem with the answer on screen, checked when they press Next. */
function answerProblem(q: Question, value: AnswerValue | undefined, draft: string | undefined, s: UiStrings): string | null {
  if (q.type === "number" && draft !== undefined && draft.trim() !== "" && !Number.isFinite(parseNumber(draft))) return s.notNumber;
  if (!hasAnswer(value)) return q.required && q.type !== "info" ? s.required : null;
  return numberProblem(q, value, s);
}

/** What the respondent reads for a survey-core fault: made from its code, in their language. */
function wordsFor(fault: ValidationError, q: Question, s: UiStrings): string {
  switch (fault.code) {
    case "required":
      return s.required;
    case "expected_integer":
      return s.wholeNumber;
    case "below_min":
    case "above_max":
      return rangeHint(q, s) ?? s.checkAnswer;
    default:
      return s.checkAnswer;
  }
}

function numberProblem(q: Question, value: AnswerValue | undefined, s: UiStrings): string | null {
  if (q.type !== "number" || typeof value !== "number") return null;
  const outside = (q.min !== undefined && value < q.min) || (q.max !== undefined && value > q.max);
  if (outside) return rangeHint(q, s);
  if (q.integer && !Number.isInteger(value)) return s.wholeNumber;
  return null;
}

function rangeHint(q: Question, s: UiStrings): string | null {
  if (q.min !== undefined && q.max !== undefined) return format(s.numberRange, { min: q.min, max: q.max });
  if (q.min !== undefined) return format(s.numberMin, { min: q.min });
  if (q.max !== undefined) return format(s.numberMax, { max: q.max });
  return null;
}

/** Reads "12", "-3", "2.5", "2,5" and Arabic-Indic or Persian digits ("١٢"); anything else is NaN. */
function parseNumber(text: string): number {
  const ascii = text
    .trim()
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[,\u066b]/g, ".")
    .replace(/^[\u2212]/, "-");
  return /^-?\d+(\.\d+)?$/.test(ascii) ? Number(ascii) : NaN;
}

function Paragraphs(props: { text: string }) {
  const parts = props.text.split(/\n+/).filter((t) => t.trim() !== "");
  return (
    <>
      {parts.map((t, i) => (
        <p key={i}>{t}</p>
      ))}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Answer inputs

interface ShownOption {
  code: string;
  face?: string;
  label: string;
  /** The default language, when the label is shown in it for want of a translation. */
  fallback?: Language;
}

interface InputProps {
  q: Question;
  lang: string;
  s: UiStrings;
  options: ShownOption[];
  value: AnswerValue | undefined;
  draft: string | undefined;
  labelledBy: string;
  describedBy: string | undefined;
  invalid: boolean;
  onChange: (v: AnswerValue | undefined) => void;
  onDraft: (text: string) => void;
  /** An option's recorded voice, or null: the button beside the option shows only when there is one. */
  optionVoice?: (code: string) => string | null;
}

function QuestionInput(p: InputProps) {
  const { q, s } = p;
  switch (q.type) {
    case "info":
      return null;
    case "single":
    case "scale":
      // A second tap keeps the answer: a double tap must not undo a choice.
      return (
        <OptionList {...p} kind="single">
          {(o) => ({ pressed: p.value === o.code, onClick: () => p.onChange(o.code) })}
        </OptionList>
      );
    case "multiple": {
      const picked = Array.isArray(p.value) ? p.value : [];
      return (
        <>
          <p className="rf-hint">{s.chooseAll}</p>
          <OptionList {...p} kind="multiple">
            {(o) => ({
              pressed: picked.includes(o.code),
              onClick: () => p.onChange(picked.includes(o.code) ? picked.filter((c) => c !== o.code) : [...picked, o.code]),
            })}
          </OptionList>
        </>
      );
    }
    case "ranking":
      return <RankingInput {...p} />;
    case "number":
      return <NumberInput {...p} />;
    case "text":
      return (
        <>
          <textarea
            className="rf-textarea"
            rows={5}
            maxLength={MAX_TEXT_ANSWER}
            value={typeof p.value === "string" ? p.value : ""}
            aria-labelledby={p.labelledBy}
            aria-describedby={[p.describedBy, `${p.labelledBy}-privacy`].filter(Boolean).join(" ")}
            aria-invalid={p.invalid || undefined}
            autoComplete="off"
            onChange={(e) => p.onChange(e.target.value)}
          />
          <p className="rf-hint" id={`${p.labelledBy}-privacy`}>
            {s.textPrivacy}
          </p>
        </>
      );
  }
}

function OptionList(
  p: InputProps & {
    kind: "single" | "multiple" | "ranking";
    children: (o: ShownOption) => { pressed: boolean; onClick: () => void; rank?: number };
  },
) {
  const scale = p.q.type === "scale";
  return (
    <div
      className={`rf-options rf-options--${p.kind}${scale ? " rf-options--scale" : ""}`}
      role="group"
      aria-labelledby={p.labelledBy}
      aria-describedby={p.describedBy}
    >
      {p.options.map((o) => {
        const { pressed, onClick, rank } = p.children(o);
        const voice = p.optionVoice?.(o.code);
        const button = (
          <button key={o.code} type="button" className="rf-option" aria-pressed={pressed} onClick={onClick}>
            <span className={`rf-mark rf-mark--${p.kind}`} aria-hidden="true">
              {rank !== undefined ? formatNumber(rank, p.lang) : p.kind === "multiple" && pressed ? "✓" : ""}
            </span>
            {o.face ? (
              <span className="rf-face" aria-hidden="true">
                {o.face}
              </span>
            ) : null}
            <span className="rf-option-label" lang={o.fallback?.code}>
              {o.label}
            </span>
            <FallbackMark to={o.fallback} />
            {rank !== undefined ? <span className="rf-sr">, {format(p.s.rankN, { n: rank })}</span> : null}
          </button>
        );
        return voice ? (
          <div key={o.code} className="rf-option-row">
            {button}
            <VoiceButton src={voice} prompt={optionPrompt(p.q.id, o.code)} listen={p.s.listen} stop={p.s.stopListening} label={format(p.s.listenTo, { label: o.label })} variant="option" />
          </div>
        ) : (
          button
        );
      })}
    </div>
  );
}

function RankingInput(p: InputProps) {
  const order = Array.isArray(p.value) ? p.value : [];
  const max = p.q.maxPicks ?? p.options.length;
  const [full, setFull] = useState(false);
  return (
    <>
      <p className="rf-hint">{format(p.s.rankHint, { max: formatNumber(max, p.lang) })}</p>
      <OptionList {...p} kind="ranking">
        {(o) => {
          const at = order.indexOf(o.code);
          return {
            pressed: at >= 0,
            rank: at >= 0 ? at + 1 : undefined,
            onClick: () => {
              if (at >= 0) {
                setFull(false);
                p.onChange(order.filter((c) => c !== o.code));
              } else if (order.length >= max) {
                setFull(true);
              } else {
                setFull(false);
                p.onChange([...order, o.code]);
              }
            },
          };
        }}
      </OptionList>
      {full ? (
        <p className="rf-hint rf-hint--strong" role="status">
          {format(p.s.rankLimit, { max: formatNumber(max, p.lang) })}
        </p>
      ) : null}
    </>
  );
}

function NumberInput(p: InputProps) {
  const { q, s } = p;
  const text = p.draft ?? (typeof p.value === "number" ? String(p.value) : "");
  const current = typeof p.value === "number" ? p.value : parseNumber(text);
  const clamp = (n: number) => Math.min(q.max ?? Infinity, Math.max(q.min ?? -Infinity, n));
  const step = (delta: number) => {
    const base = Number.isFinite(current) ? current + delta : clamp(0);
    const n = clamp(base);
    p.onDraft(String(n));
    p.onChange(n);
  };
  const hint = rangeHint(q, s);
  const hintId = `${p.labelledBy}-range`;
  return (
    <>
      <div className="rf-number">
        <button
          type="button"
          className="rf-step"
          aria-label={s.decrease}
          disabled={Number.isFinite(current) && q.min !== undefined && current <= q.min}
          onClick={() => step(-1)}
        >
          −
        </button>
        <input
          className="rf-number-input"
          type="text"
          inputMode={q.integer ? "numeric" : "decimal"}
          autoComplete="off"
          value={text}
          aria-labelledby={p.labelledBy}
          aria-describedby={[p.describedBy, hint ? hintId : null].filter(Boolean).join(" ") || undefined}
          aria-invalid={p.invalid || undefined}
          onChange={(e) => {
            p.onDraft(e.target.value);
            const n = parseNumber(e.target.value);
            p.onChange(Number.isFinite(n) ? n : undefined);
          }}
        />
        <button
          type="button"
          className="rf-step"
          aria-label={s.increase}
          disabled={Number.isFinite(current) && q.max !== undefined && current >= q.max}
          onClick={() => step(1)}
        >
          +
        </button>
      </div>
      {hint ? (
        <p className="rf-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Read aloud, with the device's own voices (no network): shown only when one speaks the language.

interface Speech {
  available: boolean;
  speaking: boolean;
  speak: (parts: string[]) => void;
  stop: () => void;
}

function synth(): SpeechSynthesis | null {
  return typeof window !== "undefined" && "speechSynthesis" in window ? window.speechSynthesis : null;
}

/** A voice for a BCP-47 tag: the exact tag first, then the same primary language; on-device voices preferred. */
function findVoice(voices: SpeechSynthesisVoice[], lang: string): SpeechSynthesisVoice | null {
  const norm = (t: string) => t.toLowerCase().replace(/_/g, "-");
  const tag = norm(lang);
  const primary = tag.split("-")[0];
  const rank = (v: SpeechSynthesisVoice) => {
    const vt = norm(v.lang);
    const match = vt === tag ? 0 : vt.split("-")[0] === primary ? 1 : -1;
    return match < 0 ? -1 : match * 2 + (v.localService ? 0 : 1);
  };
  let best: SpeechSynthesisVoice | null = null;
  let bestRank = Infinity;
  for (const v of voices) {
    const r = rank(v);
    if (r >= 0 && r < bestRank) {
      best = v;
      bestRank = r;
    }
  }
  return best;
}

function useSpeech(lang: string): Speech {
  const [voice, setVoice] = useState<SpeechSynthesisVoice | null>(null);
  const [speaking, setSpeaking] = useState(false);
  const token = useRef(0);

  useEffect(() => {
    const sp = synth();
    if (!sp) return;
    const pick = () => setVoice(findVoice(sp.getVoices(), lang));
    pick();
    // Chrome loads its voices asynchronously and announces them with voiceschanged.
    if (typeof sp.addEventListener === "function") {
      sp.addEventListener("voiceschanged", pick);
      return () => sp.removeEventListener("voiceschanged", pick);
    }
    const previous = sp.onvoiceschanged;
    sp.onvoiceschanged = pick;
    return () => {
      sp.onvoiceschanged = previous;
    };
  }, [lang]);

  const stop = useCallback(() => {
    token.current++;
    const sp = synth();
    if (sp && (sp.speaking || sp.pending)) sp.cancel();
    setSpeaking(false);
  }, []);

  // Leaving the screen (or the respondent) stops the voice.
  useEffect(() => stop, [stop]);

  const speak = useCallback(
    (parts: string[]) => {
      const sp = synth();
      if (!sp || !voice) return;
      stop();
      const mine = ++token.current;
      const chunks = parts.map((t) => t.trim()).filter(Boolean);
      // One utterance per sentence group: Chrome cuts long utterances off after about 15 seconds.
      chunks.forEach((text, i) => {
        const u = new SpeechSynthesisUtterance(text);
        u.voice = voice;
        u.lang = voice.lang;
        u.rate = 0.9;
        if (i === chunks.length - 1) u.onend = () => token.current === mine && setSpeaking(false);
        u.onerror = () => token.current === mine && setSpeaking(false);
        sp.speak(u);
      });
      setSpeaking(chunks.length > 0);
    },
    [voice, stop],
  );

  return { available: voice !== null, speaking, speak, stop };
}

/** A prompt's recorded voice where it has one; otherwise the fallback (read-aloud, itself hidden without a device voice). */
function Voice(props: { src: string | null | undefined; prompt: string; s: UiStrings; fallback: ReactNode }) {
  if (!props.src) return <>{props.fallback}</>;
  return <VoiceButton src={props.src} prompt={props.prompt} listen={props.s.listen} stop={props.s.stopListening} variant="prompt" />;
}

function ReadAloud(props: { speech: Speech; s: UiStrings; parts: string[] }) {
  const { speech, s } = props;
  if (!speech.available) return null;
  return (
    <button
      type="button"
      className="rf-button rf-button--speak"
      onClick={() => (speech.speaking ? speech.stop() : speech.speak(props.parts))}
    >
      <span aria-hidden="true">🔊</span>
      <span>{speech.speaking ? s.stopReading : s.readAloud}</span>
    </button>
  );
}
