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
import type { EditorWords, SurveyErrorWords } from "~/i18n/staff/editor";
import { ErrorIndex, fieldId, move, setAt, slugId, type Path } from "./paths";
import { LocalizedFields } from "./fields";
import { LanguagesEditor } from "./LanguagesEditor";
import { newQuestion, QuestionEditor, TYPE_NAMES } from "./QuestionEditor";
import { IndicatorEditor } from "./IndicatorEditor";
import { clearLocalDraft, readLocalDraft, useDraftAutosave, type SaveState } from "./useDraftAutosave";
import { EditorWordsProvider, useEditorWords } from "./words";
import { faultMessage, faultPlace, gapsByLanguage } from "./problems";

const SAVE_LABELS: Record<SaveState, keyof EditorWords> = {
  saved: "saveSaved",
  pending: "savePending",
  saving: "saveSaving",
  offline: "saveOffline",
  error: "saveError",
};

/** Where a problem's link opens: the question or indicator it is in. */
function openerFor(path: string, setOpen: (i: number) => void, setOpenIndicator: (i: number) => void) {
  return () => {
    const m = /^(questions|indicators)\.(\d+)/.exec(path);
    if (m?.[1] === "questions") setOpen(Number(m[2]));
    if (m?.[1] === "indicators") setOpenIndicator(Number(m[2]));
  };
}

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

type EditorProps = {
  surveyId: string;
  initial: unknown;
  serverUpdatedAt: string | null;
  latest: SurveyDefinition | null;
  latestVersion: number;
  csrf: string;
  /** The server's refusal: faults with a code (worded here), or comparability warnings (worded by the server). */
  publishErrors?: { path: string; message: string; code?: string; params?: Record<string, string | number> }[];
  words: EditorWords;
  errorWords: SurveyErrorWords;
};

export function SurveyEditor(props: EditorProps) {
  return (
    <EditorWordsProvider words={props.words} errorWords={props.errorWords}>
      <Editor {...props} />
    </EditorWordsProvider>
  );
}

function Editor(props: EditorProps) {
  const { t, e: errorWords } = useEditorWords();
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
  const errors = useMemo(() => new ErrorIndex(checked.ok ? [] : checked.errors, (e) => faultMessage(e, def, errorWords)), [checked, def, errorWords]);
  const gaps = useMemo(() => (checked.ok ? [] : gapsByLanguage(checked.errors, def)), [checked, def]);
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
          <span className={`dot ${saveState}`} aria-hidden="true" /> {t(SAVE_LABELS[saveState])}
        </div>
        {restored ? (
          <p className="notice notice-info">{t("restored")}</p>
        ) : null}

        <section className="card" aria-labelledby="settings-h">
          <h2 id="settings-h">{t("surveyHeading")}</h2>
          <LocalizedFields label={t("title")} value={def.title} languages={languages} path={["title"]} errors={errors} onChange={(v) => update(["title"], v)} />
          <LocalizedFields label={t("description")} value={def.description} languages={languages} path={["description"]} errors={errors} onChange={(v) => update(["description"], v)} />
          <LocalizedFields
            label={t("consent")}
            hint={t("consentHint")}
            value={def.consent}
            languages={languages}
            path={["consent"]}
            errors={errors}
            onChange={(v) => update(["consent"], v)}
            multiline
          />
        </section>

        <section className="card" aria-labelledby="languages-h">
          <h2 id="languages-h">{t("languagesHeading")}</h2>
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
          <h2 id="questions-h">{t("questionsHeading")}</h2>
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
                          {q.label?.[defaultLanguage.code] || <em>{t("noWording")}</em>}
                        </span>
                        <span className="muted">
                          <span translate="no">{q.id}</span> · {t(TYPE_NAMES[q.type])}
                          {q.showIf ? ` · ${t("conditional")}` : ""}
                          {q.constraint ? ` · ${t("hasConstraint")}` : ""}
                          {q.section ? ` · § ${def.sections?.find((x) => x.id === q.section)?.label?.[defaultLanguage.code] || q.section}` : ""}
                          {q.required ? ` · ${t("required")}` : ""}
                        </span>
                      </span>
                      {count ? <span className="tag off">{t("toFix", { n: count })}</span> : null}
                    </summary>
                    <div className="question-tools">
                      <button type="button" className="secondary small" onClick={() => { update(["questions"], move(def.questions, i, i - 1)); setOpen(i - 1); }} disabled={i === 0}>
                        {t("moveUp")}
                      </button>
                      <button type="button" className="secondary small" onClick={() => { update(["questions"], move(def.questions, i, i + 1)); setOpen(i + 1); }} disabled={i === def.questions.length - 1}>
                        {t("moveDown")}
                      </button>
                      <button
                        type="button"
                        className="danger small"
                        onClick={() => {
                          if (window.confirm(t("confirmRemoveQuestion", { id: q.id }))) {
                            update(["questions"], def.questions.filter((_, k) => k !== i));
                            setOpen(null);
                          }
                        }}
                      >
                        {t("remove")}
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
              <label htmlFor="new-question-type">{t("newQuestion")}</label>
              <select id="new-question-type" value={newType} onChange={(e) => setNewType(e.target.value as QuestionType)}>
                {Object.entries(TYPE_NAMES).map(([value, name]) => (
                  <option key={value} value={value}>
                    {t(name)}
                  </option>
                ))}
              </select>
              <button type="button" className="secondary" onClick={() => addQuestion(newQuestion(newType, slugId("q" + (def.questions.length + 1), def.questions.map((q) => q.id))))}>
                {t("addQuestion")}
              </button>
            </div>
            <div className="field statement">
              <label htmlFor="statement">{t("statementLabel")}</label>
              <input
                id="statement"
                lang={defaultLanguage.code}
                dir={defaultLanguage.direction}
                placeholder={t("statementPlaceholder")}
                value={statement}
                onChange={(e) => setStatement(e.target.value)}
              />
              <p className="hint">{t("statementHint")}</p>
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
                {t("addStatement")}
              </button>
            </div>
          </div>
        </section>

        <section className="card" aria-labelledby="indicators-h">
          <h2 id="indicators-h">{t("indicatorsHeading")}</h2>
          <p className="muted">{t("indicatorsLede")}</p>
          {def.indicators.map((ind, i) => (
            <details
              key={i}
              className="indicator-item"
              open={openIndicator === i}
              onToggle={(e) => (e.currentTarget.open ? setOpenIndicator(i) : openIndicator === i && setOpenIndicator(null))}
            >
              <summary>
                <strong>{ind.label?.[defaultLanguage.code] || ind.id || t("newIndicator")}</strong>{" "}
                <span className="muted">{t(ind.kind === "share" ? "shareOf" : "meanOf", { question: ind.question || "?" })}</span>
                {errors.under(["indicators", i]) ? <span className="tag off">{t("toFix", { n: errors.under(["indicators", i]) })}</span> : null}
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
                {t("removeIndicator")}
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
            {t("addIndicator")}
          </button>
        </section>

        <section className="card publish" aria-labelledby="publish-h">
          <h2 id="publish-h">{t("publishHeading")}</h2>
          {!checked.ok ? (
            <>
              <p>
                <strong>{t("problemsToFix", { n: checked.errors.length })}</strong>
              </p>
              <ul className="problems">
                {checked.errors.slice(0, 30).map((e, i) => (
                  <li key={i}>
                    <a href={`#${fieldId(e.path.split("."))}`} onClick={openerFor(e.path, setOpen, setOpenIndicator)}>
                      {faultPlace(e.path, def, t)}
                    </a>
                    : {faultMessage(e, def, errorWords)}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{t("completeAndValid")}</p>
          )}
          {warnings.length ? (
            <div className="notice notice-error" role="alert">
              <p>
                <strong>{t("comparabilityBreak", { n: new Set(warnings.map((w) => w.indicatorId)).size, version: props.latestVersion })}</strong>
              </p>
              <ul className="problems">
                {warnings.map((w, i) => (
                  <li key={i}>
                    <code translate="no">{w.indicatorId}</code>: {faultMessage({ ...w, code: `cmp_${w.code}` }, def, errorWords)}
                  </li>
                ))}
              </ul>
              <label className="checkbox">
                <input type="checkbox" checked={acceptBreaks} onChange={(e) => setAcceptBreaks(e.target.checked)} /> {t("acceptBreaks")}
              </label>
            </div>
          ) : null}
          {!checked.ok && onlyTranslationGaps(checked.errors, def.defaultLanguage) ? (
            <div className="notice notice-info gaps" role="status">
              <p>
                <strong>{t("gapsHeading")}</strong>
              </p>
              <ul className="gap-list">
                {gaps.map((g) => (
                  <li key={g.code} data-language={g.code}>
                    <strong lang={g.code}>{g.name}</strong>: {t("gapCount", { n: g.count })}
                    <ul>
                      {g.first.map((item) => (
                        <li key={item.path}>
                          <a href={`#${fieldId(item.path.split("."))}`} onClick={openerFor(item.path, setOpen, setOpenIndicator)}>
                            {faultPlace(item.path, def, t)}
                          </a>
                        </li>
                      ))}
                      {g.count > g.first.length ? <li className="muted">{t("gapMore", { n: g.count - g.first.length })}</li> : null}
                    </ul>
                  </li>
                ))}
              </ul>
              <label className="checkbox">
                <input type="checkbox" checked={acceptGaps} onChange={(e) => setAcceptGaps(e.target.checked)} /> {t("acceptGaps", { language: defaultLanguage.name })}
              </label>
            </div>
          ) : null}
          {props.publishErrors?.length ? (
            <div className="error" role="alert">
              <p>{t("serverRefused")}</p>
              <ul className="problems">
                {props.publishErrors.map((e, i) => (
                  <li key={i}>
                    {faultPlace(e.path, def, t)}: {e.code ? faultMessage({ ...e, code: e.code }, def, errorWords) : <span lang="en">{e.message}</span>}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <Form method="post" onSubmit={() => clearLocalDraft(props.surveyId)}>
            <input type="hidden" name="csrf" value={props.csrf} />
            <input type="hidden" name="intent" value="publish" />
            <input type="hidden" name="definition" value={JSON.stringify(def)} />
            {acceptBreaks ? <input type="hidden" name="acceptComparabilityBreaks" value="yes" /> : null}
            {acceptGaps ? <input type="hidden" name="acceptTranslationGaps" value="yes" /> : null}
            <button type="submit" className="primary" disabled={(!checked.ok && !(acceptGaps && onlyTranslationGaps(checked.errors, def.defaultLanguage))) || (warnings.length > 0 && !acceptBreaks)}>
              {t("publishVersion", { n: props.latestVersion + 1 })}
            </button>
          </Form>
        </section>
      </div>

      <aside className="editor-preview" aria-labelledby="preview-h">
        <div className="preview-head">
          <h2 id="preview-h">{t("previewHeading")}</h2>
          <label htmlFor="preview-language" className="visually-hidden">
            {t("previewLanguage")}
          </label>
          <select id="preview-language" value={previewLang} onChange={(e) => setPreviewLang(e.target.value)}>
            {languages.map((l) => (
              <option key={l.code} value={l.code} lang={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <p className="hint">{t("previewHint")}</p>
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
            <p className="preview-placeholder">{t("previewPlaceholder")}</p>
          )}
        </div>
      </aside>
    </div>
  );
}
