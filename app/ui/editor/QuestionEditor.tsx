// One question: id, type, wording in every language, options, skip logic, constraint, disaggregation.
import { isChoice, type Disaggregation, type Language, type Question, type QuestionType } from "~/survey";
import type { EditorWords } from "~/i18n/staff/editor";
import { FieldErrors, LocalizedFields } from "./fields";
import { OptionsEditor } from "./OptionsEditor";
import { ConstraintEditor, SkipLogicEditor } from "./SkipLogicEditor";
import { fieldId, type ErrorIndex, type Path } from "./paths";
import { useEditorWords } from "./words";

/** Each question type's name, as a key of the editor's words. */
export const TYPE_NAMES: Record<QuestionType, keyof EditorWords> = {
  single: "typeSingle",
  multiple: "typeMultiple",
  scale: "typeScale",
  number: "typeNumber",
  text: "typeText",
  ranking: "typeRanking",
  info: "typeInfo",
};

const DIMENSIONS: { value: string; label: keyof EditorWords }[] = [
  { value: "", label: "dimNone" },
  { value: "gender", label: "dimGender" },
  { value: "age_band", label: "dimAgeBand" },
  { value: "disability", label: "dimDisability" },
  { value: "displacement", label: "dimDisplacement" },
  { value: "custom", label: "dimCustom" },
];

export function QuestionEditor(props: {
  question: Question;
  index: number;
  earlier: Question[];
  languages: Language[];
  defaultLanguage: Language;
  errors: ErrorIndex;
  onChange: (q: Question) => void;
}) {
  const { t } = useEditorWords();
  const { question: q, languages, errors } = props;
  const path: Path = ["questions", props.index];
  const set = (patch: Partial<Question>) => props.onChange({ ...q, ...patch });
  const dimension = typeof q.disaggregation === "object" ? "custom" : (q.disaggregation ?? "");
  return (
    <div className="question-editor">
      <div className="form-row">
        <div className="field">
          <label htmlFor={fieldId([...path, "id"])}>{t("questionId")}</label>
          <input id={fieldId([...path, "id"])} dir="ltr" value={q.id} onChange={(e) => set({ id: e.target.value.trim() })} aria-invalid={errors.at([...path, "id"]).length ? true : undefined} />
          <FieldErrors errors={errors} path={[...path, "id"]} />
        </div>
        <div className="field">
          <label htmlFor={fieldId([...path, "type"])}>{t("type")}</label>
          <select id={fieldId([...path, "type"])} value={q.type} onChange={(e) => set(changeType(q, e.target.value as QuestionType))}>
            {Object.entries(TYPE_NAMES).map(([value, name]) => (
              <option key={value} value={value}>
                {t(name)}
              </option>
            ))}
          </select>
        </div>
        {q.type !== "info" ? (
          <div className="field checkbox">
            <label>
              <input type="checkbox" checked={q.required ?? false} onChange={(e) => set({ required: e.target.checked || undefined })} /> {t("answerRequired")}
            </label>
          </div>
        ) : null}
      </div>
      {q.type === "text" ? <p className="notice notice-info warn-text">⚠ {t("textWarning")}</p> : null}
      <LocalizedFields label={q.type === "info" ? t("textShown") : t("questionWording")} value={q.label} languages={languages} path={[...path, "label"]} errors={errors} onChange={(label) => set({ label })} multiline />
      {q.help !== undefined ? (
        <>
          <LocalizedFields label={t("helpLabel")} value={q.help} languages={languages} path={[...path, "help"]} errors={errors} onChange={(help) => set({ help })} />
          <button type="button" className="link-button danger-link" onClick={() => set({ help: undefined })}>
            {t("removeHelp")}
          </button>
        </>
      ) : q.type !== "info" ? (
        <button type="button" className="link-button" onClick={() => set({ help: {} })}>
          {t("addHelp")}
        </button>
      ) : null}
      {isChoice(q) ? <OptionsEditor question={q} languages={languages} defaultLanguage={props.defaultLanguage.code} path={path} errors={errors} onChange={props.onChange} /> : null}
      {q.type === "number" ? (
        <div className="form-row">
          <NumberInput label={t("smallestAllowed")} value={q.min} path={[...path, "min"]} errors={errors} onChange={(min) => set({ min })} />
          <NumberInput label={t("largestAllowed")} value={q.max} path={[...path, "max"]} errors={errors} onChange={(max) => set({ max })} />
          <div className="field checkbox">
            <label>
              <input type="checkbox" checked={q.integer ?? false} onChange={(e) => set({ integer: e.target.checked || undefined })} /> {t("wholeNumbers")}
            </label>
          </div>
        </div>
      ) : null}
      {q.type === "ranking" ? (
        <NumberInput label={t("howManyToPick")} value={q.maxPicks} path={[...path, "maxPicks"]} errors={errors} onChange={(maxPicks) => set({ maxPicks })} />
      ) : null}
      <SkipLogicEditor question={q} earlier={props.earlier} language={props.defaultLanguage} path={path} errors={errors} onChange={(showIf) => set({ showIf })} />
      <ConstraintEditor
        question={q}
        earlier={props.earlier}
        languages={languages}
        language={props.defaultLanguage}
        path={path}
        errors={errors}
        onChange={(constraint) => set({ constraint })}
      />
      {isChoice(q) && q.type !== "ranking" ? (
        <div className="form-row">
          <div className="field">
            <label htmlFor={fieldId([...path, "disaggregation"])}>{t("splitBy")}</label>
            <select
              id={fieldId([...path, "disaggregation"])}
              value={dimension}
              onChange={(e) => {
                const v = e.target.value;
                set({ disaggregation: v === "" ? undefined : v === "custom" ? { custom: q.id } : (v as Disaggregation) });
              }}
            >
              {DIMENSIONS.map((d) => (
                <option key={d.value} value={d.value}>
                  {t(d.label)}
                </option>
              ))}
            </select>
            <FieldErrors errors={errors} path={[...path, "disaggregation"]} />
          </div>
        </div>
      ) : null}
    </div>
  );
}

function NumberInput(props: { label: string; value: number | undefined; path: Path; errors: ErrorIndex; onChange: (v: number | undefined) => void }) {
  return (
    <div className="field">
      <label htmlFor={fieldId(props.path)}>{props.label}</label>
      <input
        id={fieldId(props.path)}
        type="number"
        value={props.value ?? ""}
        onChange={(e) => props.onChange(e.target.value === "" ? undefined : Number(e.target.value))}
      />
      <FieldErrors errors={props.errors} path={props.path} />
    </div>
  );
}

/** Changing a question's type keeps its wording and drops what the new type cannot have. */
export function changeType(q: Question, type: QuestionType): Question {
  const next: Question = { id: q.id, type, label: q.label, help: q.help, required: type === "info" ? undefined : q.required, showIf: q.showIf, section: q.section };
  if (isChoice({ type })) {
    next.options = q.options?.length ? q.options : [{ code: "1", label: {} }, { code: "2", label: {} }];
    if (type === "ranking") next.maxPicks = Math.min(3, next.options.length);
    if (type !== "ranking") next.disaggregation = q.disaggregation;
  }
  if (type === "number") Object.assign(next, { min: 0, max: 120 });
  return next;
}

export function newQuestion(type: QuestionType, id: string): Question {
  return changeType({ id, type, label: {} }, type);
}
