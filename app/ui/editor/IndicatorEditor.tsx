// One indicator: what it counts, over whom and which way is better. Its targets are programme
// planning, not the instrument (migration 0017): set per round and per date on the tracking page.
import { Link, useRouteLoaderData } from "@remix-run/react";
import { isChoice, type Indicator, type Language, type Question } from "~/survey";
import { FieldErrors, LocalizedFields } from "./fields";
import { fieldId, type ErrorIndex, type Path } from "./paths";
import { useEditorWords } from "./words";

export function IndicatorEditor(props: {
  indicator: Indicator;
  index: number;
  questions: Question[];
  languages: Language[];
  defaultLanguage: Language;
  errors: ErrorIndex;
  onChange: (i: Indicator) => void;
}) {
  const { indicator: ind, questions, defaultLanguage: dl, errors } = props;
  const { t } = useEditorWords();
  const path: Path = ["indicators", props.index];
  const question = questions.find((q) => q.id === ind.question);
  const options = question?.options ?? [];
  const optionLabel = (code: string) => options.find((o) => o.code === code)?.label?.[dl.code] || code;
  const set = (patch: Partial<Indicator>) => props.onChange({ ...ind, ...patch } as Indicator);
  const toggle = (list: string[], code: string, on: boolean) => (on ? [...list, code] : list.filter((c) => c !== code));
  const excluded = ind.kind === "share" ? (ind.denominator === "all" ? [] : ind.denominator.exclude) : ind.exclude;
  return (
    <div className="indicator-editor">
      <div className="form-row">
        <div className="field">
          <label htmlFor={fieldId([...path, "id"])}>{t("indId")}</label>
          <input id={fieldId([...path, "id"])} value={ind.id} onChange={(e) => set({ id: e.target.value.trim() })} />
          <FieldErrors errors={errors} path={[...path, "id"]} />
        </div>
        <div className="field">
          <label htmlFor={fieldId([...path, "question"])}>{t("indQuestion")}</label>
          <select id={fieldId([...path, "question"])} value={ind.question} onChange={(e) => set({ question: e.target.value })}>
            <option value="">{t("indChoose")}</option>
            {questions.filter(isChoice).map((q) => (
              <option key={q.id} value={q.id}>
                {q.id} — {(q.label?.[dl.code] ?? "").slice(0, 50)}
              </option>
            ))}
          </select>
          <FieldErrors errors={errors} path={[...path, "question"]} />
        </div>
        <div className="field">
          <label htmlFor={fieldId([...path, "kind"])}>{t("indMeasure")}</label>
          <select
            id={fieldId([...path, "kind"])}
            value={ind.kind}
            onChange={(e) => {
              const base = { id: ind.id, label: ind.label, question: ind.question, direction: ind.direction, target: undefined, targetDate: ind.targetDate, reference: ind.reference };
              props.onChange(
                e.target.value === "mean" ? { ...base, kind: "mean", exclude: excluded } : { ...base, kind: "share", codes: [], denominator: excluded.length ? { exclude: excluded } : "all" },
              );
            }}
          >
            <option value="share">{t("indShare")}</option>
            <option value="mean">{t("indMean")}</option>
          </select>
        </div>
      </div>
      <LocalizedFields label={t("indName")} value={ind.label} languages={props.languages} path={[...path, "label"]} errors={errors} onChange={(label) => set({ label })} />
      {question && options.length ? (
        <>
          {ind.kind === "share" ? (
            <fieldset className="checks-block">
              <legend>{t("indCounted")}</legend>
              {options.map((o) => (
                <label key={o.code}>
                  <input type="checkbox" checked={ind.codes.includes(o.code)} onChange={(e) => set({ codes: toggle(ind.codes, o.code, e.target.checked) })} /> {optionLabel(o.code)} <span className="muted">({o.code})</span>
                </label>
              ))}
              <FieldErrors errors={errors} path={[...path, "codes"]} />
            </fieldset>
          ) : null}
          <fieldset className="checks-block">
            <legend>{ind.kind === "share" ? t("indLeftOutDenominator") : t("indLeftOutMean")}</legend>
            {options.map((o) => (
              <label key={o.code}>
                <input
                  type="checkbox"
                  checked={excluded.includes(o.code)}
                  onChange={(e) => {
                    const next = toggle(excluded, o.code, e.target.checked);
                    if (ind.kind === "share") set({ denominator: next.length ? { exclude: next } : "all" });
                    else set({ exclude: next });
                  }}
                />{" "}
                {optionLabel(o.code)} <span className="muted">({o.code})</span>
              </label>
            ))}
            <p className="hint">
              {ind.kind === "share"
                ? t("indHintShare")
                : t("indHintMean")}
            </p>
            <FieldErrors errors={errors} path={[...path, ind.kind === "share" ? "denominator" : "exclude"]} />
          </fieldset>
        </>
      ) : (
        <p className="hint">{t("indNeedsOptions")}</p>
      )}
      <div className="form-row">
        <div className="field">
          <label htmlFor={fieldId([...path, "direction"])}>{t("indBetter")}</label>
          <select id={fieldId([...path, "direction"])} value={ind.direction} onChange={(e) => set({ direction: e.target.value as Indicator["direction"] })}>
            <option value="higher_is_better">{t("indHigher")}</option>
            <option value="lower_is_better">{t("indLower")}</option>
          </select>
        </div>
      </div>
      <Targets indicator={ind} path={path} errors={errors} onClear={() => set({ target: undefined, targetDate: undefined })} />
    </div>
  );
}

/**
 * Where an indicator's targets are set: a link to the tracking page's form (targets per round and
 * for a date, changing them publishes no version). A single target an older definition still
 * carries is shown, as nothing reads it any more, with a way to drop it from the draft.
 */
function Targets({ indicator: ind, path, errors, onClear }: { indicator: Indicator; path: Path; errors: ErrorIndex; onClear: () => void }) {
  const route = useRouteLoaderData<{ surveyId: string; programmeId: string }>("routes/surveys.$surveyId.edit");
  const href = route ? `/programmes/${route.programmeId}/tracking?survey=${route.surveyId}#targets-h` : null;
  const { t } = useEditorWords();
  // The sentence is translated whole; the link goes where the language puts "{link}".
  const [before, after] = t("indTargetsWhere", { link: "\u0000" }).split("\u0000");
  const old = ind.target === undefined ? null : ind.kind === "share" ? `${Math.round(ind.target * 1000) / 10}%` : String(ind.target);
  return (
    <div className="indicator-targets" id={fieldId([...path, "target"])}>
      <p className="muted">
        {before}
        {href ? <Link to={href}>{t("indTrackingTable")}</Link> : t("indTrackingTable")}
        {after}
      </p>
      {old !== null ? (
        <p className="notice">
          {ind.targetDate ? t("indOldTargetBy", { value: old, date: ind.targetDate }) : t("indOldTarget", { value: old })}{" "}
          <button type="button" className="secondary" onClick={onClear}>
            {t("indRemoveOld")}
          </button>
        </p>
      ) : null}
      <FieldErrors errors={errors} path={[...path, "target"]} />
    </div>
  );
}
