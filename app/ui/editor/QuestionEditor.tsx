// One question: id, type, wording in every language, options, skip logic, disaggregation.
import { TEXT_QUESTION_WARNING, isChoice, type Disaggregation, type Language, type Question, type QuestionType } from "~/survey";
import { FieldErrors, LocalizedFields } from "./fields";
import { OptionsEditor } from "./OptionsEditor";
import { SkipLogicEditor } from "./SkipLogicEditor";
import { fieldId, type ErrorIndex, type Path } from "./paths";

export const TYPE_NAMES: Record<QuestionType, string> = {
  single: "Single choice",
  multiple: "Multiple choice",
  scale: "Scale (with faces)",
  number: "Number",
  text: "Short text",
  ranking: "Ranking (pick and order)",
  info: "Information screen",
};

const DIMENSIONS: { value: string; label: string }[] = [
  { value: "", label: "Not a split" },
  { value: "gender", label: "Gender" },
  { value: "age_band", label: "Age band" },
  { value: "disability", label: "Disability" },
  { value: "displacement", label: "Displacement status" },
  { value: "custom", label: "Another group (custom)" },
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
  const { question: q, languages, errors } = props;
  const path: Path = ["questions", props.index];
  const set = (patch: Partial<Question>) => props.onChange({ ...q, ...patch });
  const dimension = typeof q.disaggregation === "object" ? "custom" : (q.disaggregation ?? "");
  return (
    <div className="question-editor">
      <div className="form-row">
        <div className="field">
          <label htmlFor={fieldId([...path, "id"])}>Question id</label>
          <input id={fieldId([...path, "id"])} value={q.id} onChange={(e) => set({ id: e.target.value.trim() })} aria-invalid={errors.at([...path, "id"]).length ? true : undefined} />
          <FieldErrors errors={errors} path={[...path, "id"]} />
        </div>
        <div className="field">
          <label htmlFor={fieldId([...path, "type"])}>Type</label>
          <select id={fieldId([...path, "type"])} value={q.type} onChange={(e) => set(changeType(q, e.target.value as QuestionType))}>
            {Object.entries(TYPE_NAMES).map(([value, name]) => (
              <option key={value} value={value}>
                {name}
              </option>
            ))}
          </select>
        </div>
        {q.type !== "info" ? (
          <div className="field checkbox">
            <label>
              <input type="checkbox" checked={q.required ?? false} onChange={(e) => set({ required: e.target.checked || undefined })} /> Answer required
            </label>
          </div>
        ) : null}
      </div>
      {q.type === "text" ? <p className="notice notice-info warn-text">⚠ {TEXT_QUESTION_WARNING}</p> : null}
      <LocalizedFields label={q.type === "info" ? "Text shown" : "Question"} value={q.label} languages={languages} path={[...path, "label"]} errors={errors} onChange={(label) => set({ label })} multiline />
      {q.help !== undefined ? (
        <>
          <LocalizedFields label="Help (shown under the question)" value={q.help} languages={languages} path={[...path, "help"]} errors={errors} onChange={(help) => set({ help })} />
          <button type="button" className="link-button danger-link" onClick={() => set({ help: undefined })}>
            Remove help
          </button>
        </>
      ) : q.type !== "info" ? (
        <button type="button" className="link-button" onClick={() => set({ help: {} })}>
          Add help text
        </button>
      ) : null}
      {isChoice(q) ? <OptionsEditor question={q} languages={languages} defaultLanguage={props.defaultLanguage.code} path={path} errors={errors} onChange={props.onChange} /> : null}
      {q.type === "number" ? (
        <div className="form-row">
          <NumberInput label="Smallest allowed" value={q.min} path={[...path, "min"]} errors={errors} onChange={(min) => set({ min })} />
          <NumberInput label="Largest allowed" value={q.max} path={[...path, "max"]} errors={errors} onChange={(max) => set({ max })} />
        </div>
      ) : null}
      {q.type === "ranking" ? (
        <NumberInput label="How many to pick and order" value={q.maxPicks} path={[...path, "maxPicks"]} errors={errors} onChange={(maxPicks) => set({ maxPicks })} />
      ) : null}
      <SkipLogicEditor question={q} earlier={props.earlier} language={props.defaultLanguage} path={path} errors={errors} onChange={(showIf) => set({ showIf })} />
      {isChoice(q) && q.type !== "ranking" ? (
        <div className="form-row">
          <div className="field">
            <label htmlFor={fieldId([...path, "disaggregation"])}>Dashboards can split results by this question</label>
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
                  {d.label}
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
