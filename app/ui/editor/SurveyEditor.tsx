// The survey editor: settings, languages, questions, indicators, live validation, preview, publish.
import { useEffect, useMemo, useState } from "react";
import { Form } from "@remix-run/react";
import {
  comparabilityWarnings,
  statementToItem,
  SurveyDefinitionSchema,
  validateDefinition,
  onlyTranslationGaps,
  type Indicator,
  type Question,
  type QuestionType,
  type SurveyDefinition,
} from "~/survey";
import { RespondentFlow } from "~/ui/respondent/RespondentFlow";
import { ErrorIndex, fieldId, move, setAt, slugId, type Path } from "./paths";
import { LocalizedFields } from "./fields";
import { LanguagesEditor } from "./LanguagesEditor";
import { newQuestion, QuestionEditor, TYPE_NAMES } from "./QuestionEditor";
import { IndicatorEditor } from "./IndicatorEditor";
import { clearLocalDraft, readLocalDraft, useDraftAutosave, type SaveState } from "./useDraftAutosave";

const SAVE_LABELS: Record<SaveState, string> = {
  saved: "All changes saved",
  pending: "Editing…",
  saving: "Saving…",
  offline: "Kept on this device; it will be saved when the connection is back",
  error: "Could not save to the server; your changes are kept on this device",
};

/** Fills in what a loose draft may lack, so every editor below can rely on the arrays existing. */
function normalise(input: unknown): SurveyDefinition {
  const d = (input ?? {}) as Partial<SurveyDefinition>;
  return {
    ...d,
    title: d.title ?? {},
    languages: d.languages?.length ? d.languages : [{ code: "en", name: "English", direction: "ltr" }],
    defaultLanguage: d.defaultLanguage ?? d.languages?.[0]?.code ?? "en",
    consent: d.consent ?? {},
    questions: d.questions ?? [],
    indicators: d.indicators ?? [],
  } as SurveyDefinition;
}

export function SurveyEditor(props: {
  surveyId: string;
  initial: unknown;
  serverUpdatedAt: string | null;
  latest: SurveyDefinition | null;
  latestVersion: number;
  csrf: string;
  publishErrors?: { path: string; message: string }[];
}) {
  const [def, setDef] = useState<SurveyDefinition>(() => normalise(props.initial));
  const [changed, setChanged] = useState(false);
  const [restored, setRestored] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const [openIndicator, setOpenIndicator] = useState<number | null>(null);
  const [previewLang, setPreviewLang] = useState(def.defaultLanguage);
  const [acceptBreaks, setAcceptBreaks] = useState(false);
  const [acceptGaps, setAcceptGaps] = useState(false);

  // A copy on this device that the server never received (closed tab, lost network) wins.
  useEffect(() => {
    const local = readLocalDraft<SurveyDefinition>(props.surveyId);
    if (local?.dirty && (!props.serverUpdatedAt || local.editedAt > props.serverUpdatedAt)) {
      setDef(normalise(local.definition));
      setChanged(true);
      setRestored(true);
    }
  }, [props.surveyId, props.serverUpdatedAt]);

  const saveState = useDraftAutosave({ surveyId: props.surveyId, definition: def, serverUpdatedAt: props.serverUpdatedAt, csrf: props.csrf, changed });
  const update = (path: Path, value: unknown) => {
    setDef((d) => setAt(d, path, value));
    setChanged(true);
  };

  const checked = useMemo(() => validateDefinition(def), [def]);
  const errors = useMemo(() => new ErrorIndex(checked.ok ? [] : checked.errors), [checked]);
  const warnings = useMemo(
    () => (props.latest && checked.ok ? comparabilityWarnings(props.latest, checked.definition) : []),
    [props.latest, checked],
  );
  const structurallyValid = useMemo(() => SurveyDefinitionSchema.safeParse(def).success, [def]);
  const languages = def.languages;
  const defaultLanguage = languages.find((l) => l.code === def.defaultLanguage) ?? languages[0];
  const previewQuestion = open !== null ? def.questions[open]?.id : undefined;

  const [newType, setNewType] = useState<QuestionType>("single");
  const [statement, setStatement] = useState("");
  const addQuestion = (q: Question) => {
    update(["questions"], [...def.questions, q]);
    setOpen(def.questions.length);
  };

  return (
    <div className="editor">
      <div className="editor-main">
        <div className="save-state" role="status" aria-live="polite">
          <span className={`dot ${saveState}`} aria-hidden="true" /> {SAVE_LABELS[saveState]}
        </div>
        {restored ? (
          <p className="notice notice-info">Restored changes from this device that had not reached the server yet.</p>
        ) : null}

        <section className="card" aria-labelledby="settings-h">
          <h2 id="settings-h">Survey</h2>
          <LocalizedFields label="Title" value={def.title} languages={languages} path={["title"]} errors={errors} onChange={(v) => update(["title"], v)} />
          <LocalizedFields label="Description (for facilitators)" value={def.description} languages={languages} path={["description"]} errors={errors} onChange={(v) => update(["description"], v)} />
          <LocalizedFields
            label="Consent text (shown first)"
            hint="Say what the survey is for, that it is anonymous and voluntary, and that the person can stop at any time."
            value={def.consent}
            languages={languages}
            path={["consent"]}
            errors={errors}
            onChange={(v) => update(["consent"], v)}
            multiline
          />
        </section>

        <section className="card" aria-labelledby="languages-h">
          <h2 id="languages-h">Languages</h2>
          <LanguagesEditor
            languages={languages}
            defaultLanguage={def.defaultLanguage}
            onChange={(langs, dflt) => {
              setDef((d) => ({ ...d, languages: langs, defaultLanguage: dflt }));
              setChanged(true);
            }}
          />
        </section>

        <section className="card" aria-labelledby="questions-h">
          <h2 id="questions-h">Questions</h2>
          <ol className="question-list">
            {def.questions.map((q, i) => {
              const count = errors.under(["questions", i]);
              return (
                <li key={i}>
                  <details open={open === i} onToggle={(e) => (e.currentTarget.open ? setOpen(i) : open === i && setOpen(null))}>
                    <summary>
                      <span className="q-number">{i + 1}</span>
                      <span className="q-summary">
                        <span className="q-label" lang={defaultLanguage.code} dir={defaultLanguage.direction}>
                          {q.label?.[defaultLanguage.code] || <em>No wording yet</em>}
                        </span>
                        <span className="muted">
                          {q.id} · {TYPE_NAMES[q.type]}
                          {q.showIf ? " · conditional" : ""}
                          {q.section ? ` · § ${def.sections?.find((x) => x.id === q.section)?.label?.[defaultLanguage.code] || q.section}` : ""}
                          {q.required ? " · required" : ""}
                        </span>
                      </span>
                      {count ? <span className="tag off">{count} to fix</span> : null}
                    </summary>
                    <div className="question-tools">
                      <button type="button" className="secondary small" onClick={() => { update(["questions"], move(def.questions, i, i - 1)); setOpen(i - 1); }} disabled={i === 0}>
                        Move up
                      </button>
                      <button type="button" className="secondary small" onClick={() => { update(["questions"], move(def.questions, i, i + 1)); setOpen(i + 1); }} disabled={i === def.questions.length - 1}>
                        Move down
                      </button>
                      <button
                        type="button"
                        className="danger small"
                        onClick={() => {
                          if (window.confirm(`Remove question ${q.id}?`)) {
                            update(["questions"], def.questions.filter((_, k) => k !== i));
                            setOpen(null);
                          }
                        }}
                      >
                        Remove
                      </button>
                    </div>
                    <QuestionEditor
                      question={q}
                      index={i}
                      earlier={def.questions.slice(0, i)}
                      languages={languages}
                      defaultLanguage={defaultLanguage}
                      errors={errors}
                      onChange={(next) => update(["questions", i], next)}
                    />
                  </details>
                </li>
              );
            })}
          </ol>
          <div className="add-question">
            <div className="field inline-field">
              <label htmlFor="new-question-type">New question</label>
              <select id="new-question-type" value={newType} onChange={(e) => setNewType(e.target.value as QuestionType)}>
                {Object.entries(TYPE_NAMES).map(([value, name]) => (
                  <option key={value} value={value}>
                    {name}
                  </option>
                ))}
              </select>
              <button type="button" className="secondary" onClick={() => addQuestion(newQuestion(newType, slugId("q" + (def.questions.length + 1), def.questions.map((q) => q.id))))}>
                Add question
              </button>
            </div>
            <div className="field statement">
              <label htmlFor="statement">Turn a focus group's statement into a tracked item</label>
              <input
                id="statement"
                lang={defaultLanguage.code}
                dir={defaultLanguage.direction}
                placeholder="Women can reach the water point without being harassed"
                value={statement}
                onChange={(e) => setStatement(e.target.value)}
              />
              <p className="hint">Adds an agree/disagree question with faces and an indicator (share who agree), ready to translate.</p>
              <button
                type="button"
                className="secondary"
                disabled={!statement.trim()}
                onClick={() => {
                  const id = slugId(statement, def.questions.map((q) => q.id), "statement");
                  const item = statementToItem({ statement: { [defaultLanguage.code]: statement.trim() }, languages: languages.map((l) => l.code), id });
                  setDef((d) => ({ ...d, questions: [...d.questions, item.question], indicators: [...d.indicators, item.indicator] }));
                  setChanged(true);
                  setOpen(def.questions.length);
                  setOpenIndicator(def.indicators.length);
                  setStatement("");
                }}
              >
                Add statement and indicator
              </button>
            </div>
          </div>
        </section>

        <section className="card" aria-labelledby="indicators-h">
          <h2 id="indicators-h">Indicators</h2>
          <p className="muted">What dashboards track over time. Keep question ids and option codes when you revise the survey, so trends stay comparable.</p>
          {def.indicators.map((ind, i) => (
            <details
              key={i}
              className="indicator-item"
              open={openIndicator === i}
              onToggle={(e) => (e.currentTarget.open ? setOpenIndicator(i) : openIndicator === i && setOpenIndicator(null))}
            >
              <summary>
                <strong>{ind.label?.[defaultLanguage.code] || ind.id || "New indicator"}</strong>{" "}
                <span className="muted">
                  {ind.kind === "share" ? "share" : "mean"} of {ind.question || "?"}
                </span>
                {errors.under(["indicators", i]) ? <span className="tag off">{errors.under(["indicators", i])} to fix</span> : null}
              </summary>
              <IndicatorEditor
                indicator={ind}
                index={i}
                questions={def.questions}
                languages={languages}
                defaultLanguage={defaultLanguage}
                errors={errors}
                onChange={(next) => update(["indicators", i], next)}
              />
              <button type="button" className="danger small" onClick={() => update(["indicators"], def.indicators.filter((_, k) => k !== i))}>
                Remove indicator
              </button>
            </details>
          ))}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const first = def.questions.find((q) => q.options?.length);
              const indicator: Indicator = {
                id: slugId("indicator " + (def.indicators.length + 1), def.indicators.map((x) => x.id)),
                label: {},
                question: first?.id ?? "",
                kind: "share",
                codes: [],
                denominator: "all",
                direction: "higher_is_better",
              };
              update(["indicators"], [...def.indicators, indicator]);
              setOpenIndicator(def.indicators.length);
            }}
          >
            Add indicator
          </button>
        </section>

        <section className="card publish" aria-labelledby="publish-h">
          <h2 id="publish-h">Publish</h2>
          {!checked.ok ? (
            <>
              <p>
                <strong>{checked.errors.length} problem{checked.errors.length === 1 ? "" : "s"} to fix before publishing:</strong>
              </p>
              <ul className="problems">
                {checked.errors.slice(0, 30).map((e, i) => (
                  <li key={i}>
                    <a
                      href={`#${fieldId(e.path.split("."))}`}
                      onClick={() => {
                        const m = /^(questions|indicators)\.(\d+)/.exec(e.path);
                        if (m?.[1] === "questions") setOpen(Number(m[2]));
                        if (m?.[1] === "indicators") setOpenIndicator(Number(m[2]));
                      }}
                    >
                      {e.path || "survey"}
                    </a>
                    : {e.message}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>The survey is complete and valid in every language.</p>
          )}
          {warnings.length ? (
            <div className="notice notice-error" role="alert">
              <p>
                <strong>Publishing this would break the comparability of {new Set(warnings.map((w) => w.indicatorId)).size} indicator(s) with version {props.latestVersion}:</strong>
              </p>
              <ul className="problems">
                {warnings.map((w, i) => (
                  <li key={i}>
                    <code>{w.indicatorId}</code>: {w.message}
                  </li>
                ))}
              </ul>
              <label className="checkbox">
                <input type="checkbox" checked={acceptBreaks} onChange={(e) => setAcceptBreaks(e.target.checked)} /> I understand: the trend of these indicators starts again from this version.
              </label>
            </div>
          ) : null}
          {!checked.ok && onlyTranslationGaps(checked.errors, def.defaultLanguage) ? (
            <label className="checkbox">
              <input type="checkbox" checked={acceptGaps} onChange={(e) => setAcceptGaps(e.target.checked)} /> Publish with these translations missing:
              respondents see the {languages.find((l) => l.code === def.defaultLanguage)?.name} text there, marked.
            </label>
          ) : null}
          {props.publishErrors?.length ? (
            <p className="error" role="alert">
              The server refused to publish: {props.publishErrors.map((e) => `${e.path} ${e.message}`).join("; ")}
            </p>
          ) : null}
          <Form method="post" onSubmit={() => clearLocalDraft(props.surveyId)}>
            <input type="hidden" name="csrf" value={props.csrf} />
            <input type="hidden" name="intent" value="publish" />
            <input type="hidden" name="definition" value={JSON.stringify(def)} />
            {acceptBreaks ? <input type="hidden" name="acceptComparabilityBreaks" value="yes" /> : null}
            {acceptGaps ? <input type="hidden" name="acceptTranslationGaps" value="yes" /> : null}
            <button type="submit" className="primary" disabled={(!checked.ok && !(acceptGaps && onlyTranslationGaps(checked.errors, def.defaultLanguage))) || (warnings.length > 0 && !acceptBreaks)}>
              Publish version {props.latestVersion + 1}
            </button>
          </Form>
        </section>
      </div>

      <aside className="editor-preview" aria-labelledby="preview-h">
        <div className="preview-head">
          <h2 id="preview-h">Preview</h2>
          <label htmlFor="preview-language" className="visually-hidden">
            Preview language
          </label>
          <select id="preview-language" value={previewLang} onChange={(e) => setPreviewLang(e.target.value)}>
            {languages.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <p className="hint">As a respondent sees it on a tablet. Open a question to preview it.</p>
        <div className="device-frame">
          {structurallyValid ? (
            <RespondentFlow
              key={`${previewLang}-${previewQuestion ?? "start"}`}
              definition={def}
              mode="preview"
              language={languages.some((l) => l.code === previewLang) ? previewLang : def.defaultLanguage}
              startAt={previewQuestion ? { question: previewQuestion } : "consent"}
            />
          ) : (
            <p className="preview-placeholder">Fix the problems listed under Publish to see the preview.</p>
          )}
        </div>
      </aside>
    </div>
  );
}
