// The condition builders: "show this question when …" over earlier answers, and a question's
// constraint ("the answer is at least 0 and at most 120") with its message in every language.
// Plain controls only; a condition nested deeper than rows joined by all/any is shown read-only.
import type { Condition, Constraint, Language, Question } from "~/survey";
import { writeExpression } from "~/xlsform/expressions";
import type { EditorWords } from "~/i18n/staff/editor";
import { fieldId, type ErrorIndex, type Path } from "./paths";
import { LocalizedFields } from "./fields";
import {
  constraintSubject,
  fromBuilder,
  isMulti,
  newConstraintRow,
  operatorsFor,
  rowPath,
  subjectKey,
  toBuilder,
  valueKind,
  withSubject,
  type Builder,
  type Row,
  type RowOp,
} from "./conditions";
import { useEditorWords } from "./words";

/** Each operator's words, by the kind of question it is asked of. */
function opWord(op: RowOp, row: Row, q: Question | undefined): keyof EditorWords {
  const multi = row.subject === "answer" && isMulti(q);
  switch (op) {
    case "equals":
      return multi ? "opIncludes" : "opIs";
    case "notEquals":
      return multi ? "opNotIncludes" : "opIsNot";
    case "oneOf":
      return multi ? "opIncludesAny" : "opOneOf";
    case "answered":
      return "opAnswered";
    case "notAnswered":
      return "opNotAnswered";
    case ">=":
      return "opAtLeast";
    case ">":
      return "opMoreThan";
    case "<=":
      return "opAtMost";
    case "<":
      return "opLessThan";
    case "=":
      return "opEquals";
    case "!=":
      return "opNotEqual";
  }
}

/** A condition read-only, as an XLSForm expression (what a Kobo or ODK user knows). */
function Expression({ condition, questions }: { condition: Condition; questions: Question[] }) {
  let text: string;
  try {
    text = writeExpression(condition, (id) => questions.find((q) => q.id === id));
  } catch {
    text = JSON.stringify(condition);
  }
  return (
    <code className="expression" dir="ltr" translate="no">
      {text}
    </code>
  );
}

/** Rows joined by all/any; each row names its question (or "this answer") and a value. */
function ConditionRows(props: {
  builder: Builder;
  /** The questions a row may refer to; empty for a constraint (its rows are about "."). */
  choices: Question[];
  /** The question a constraint belongs to (rows then refer to its own answer). */
  self?: Question;
  language: Language;
  path: Path;
  errors: ErrorIndex;
  onChange: (b: Builder) => void;
}) {
  const { t } = useEditorWords();
  const { builder, choices, self, language, path, errors } = props;
  const setRow = (i: number, row: Row) => props.onChange({ ...builder, rows: builder.rows.map((r, k) => (k === i ? row : r)) });
  const questionLabel = (q: Question) => `${q.id} — ${(q.label?.[language.code] ?? "").slice(0, 60)}`;
  return (
    <>
      {builder.rows.length > 1 ? (
        <div className="field inline-field">
          <label htmlFor={fieldId([...path, "combine"])}>{self ? t("constraintCombine") : t("showWhen")}</label>
          <select id={fieldId([...path, "combine"])} value={builder.combine} onChange={(e) => props.onChange({ ...builder, combine: e.target.value as "all" | "any" })}>
            <option value="all">{t("combineAll")}</option>
            <option value="any">{t("combineAny")}</option>
          </select>
        </div>
      ) : null}
      {builder.rows.map((row, i) => {
        const target = self ?? choices.find((q) => q.id === row.question);
        const ops = operatorsFor(row.subject, target).filter((op) => !self || (op !== "answered" && op !== "notAnswered"));
        if (!ops.includes(row.op)) ops.push(row.op);
        const kind = valueKind(row, target);
        const base = [...path, ...rowPath(builder, i)];
        const rowId = fieldId([...path, "row", i]);
        const problems = errors.within(base);
        const invalid = problems.length ? true : undefined;
        const values = (v: string[]) => setRow(i, { ...row, values: v });
        return (
          <div className="condition-row" key={i} data-row={i}>
            <span className="muted joiner">{i === 0 ? (self ? t("answerMust") : t("onlyIf")) : builder.combine === "all" ? t("and") : t("or")}</span>
            {self ? (
              <span className="self-subject cond-what">{row.subject === "count" ? t("selfCount") : t("selfAnswer")}</span>
            ) : (
              <select className="cond-what" aria-label={t("earlierQuestion")} id={`${rowId}-q`} dir={language.direction} value={subjectKey(row)} aria-invalid={invalid} onChange={(e) => setRow(i, withSubject(row, e.target.value, choices))}>
                <option value="">{t("chooseQuestion")}</option>
                {choices.map((q) => (
                  <option key={q.id} value={q.id} translate="no">
                    {questionLabel(q)}
                  </option>
                ))}
                {choices.filter(isMulti).map((q) => (
                  <option key={`count:${q.id}`} value={`count:${q.id}`}>
                    {t("countOf", { id: q.id })}
                  </option>
                ))}
              </select>
            )}
            <select className="cond-op" aria-label={t("conditionOp")} id={`${rowId}-op`} value={row.op} onChange={(e) => setRow(i, { ...row, op: e.target.value as RowOp })}>
              {ops.map((op) => (
                <option key={op} value={op}>
                  {t(opWord(op, row, target))}
                </option>
              ))}
            </select>
            {kind === "none" ? (
              <span className="cond-value" />
            ) : kind === "options" ? (
              <span className="checks cond-value" role="group" aria-label={t("answers")}>
                {(target?.options ?? []).map((o) => (
                  <label key={o.code}>
                    <input
                      type="checkbox"
                      checked={row.values.includes(o.code)}
                      onChange={(e) => values(e.target.checked ? [...row.values, o.code] : row.values.filter((v) => v !== o.code))}
                    />{" "}
                    <span lang={language.code} dir={language.direction}>
                      {o.label?.[language.code] || o.code}
                    </span>
                  </label>
                ))}
              </span>
            ) : kind === "option" ? (
              <select className="cond-value" aria-label={t("answer")} id={`${rowId}-value`} dir={language.direction} value={row.values[0] ?? ""} aria-invalid={invalid} onChange={(e) => values([e.target.value])}>
                <option value="">{t("chooseAnswer")}</option>
                {(target?.options ?? []).map((o) => (
                  <option key={o.code} value={o.code} translate="no">
                    {o.label?.[language.code] || o.code} ({o.code})
                  </option>
                ))}
              </select>
            ) : (
              <input
                className="cond-value"
                aria-label={kind === "number" ? t("number") : t("value")}
                id={`${rowId}-value`}
                inputMode={kind === "number" ? "decimal" : undefined}
                value={row.values[0] ?? ""}
                aria-invalid={invalid}
                onChange={(e) => values([e.target.value])}
              />
            )}
            <button type="button" className="icon danger" aria-label={t("removeCondition", { n: i + 1 })} onClick={() => props.onChange({ ...builder, rows: builder.rows.filter((_, k) => k !== i) })}>
              ✕
            </button>
            {problems.length ? (
              <p className="error condition-error" role="alert">
                {problems.join(" ")}
              </p>
            ) : null}
          </div>
        );
      })}
    </>
  );
}

export function SkipLogicEditor(props: {
  question: Question;
  earlier: Question[];
  language: Language;
  path: Path;
  errors: ErrorIndex;
  onChange: (showIf: Condition | undefined) => void;
}) {
  const { t } = useEditorWords();
  const { question, earlier, language, path, errors } = props;
  const builder = toBuilder(question.showIf);
  const at: Path = [...path, "showIf"];
  const choices = earlier.filter((q) => q.type !== "info");
  if (!builder) {
    return (
      <div className="skip-logic">
        <p className="hint">
          {t("nestedCondition")}{" "}
          <button type="button" className="link-button" onClick={() => props.onChange(undefined)}>
            {t("removeIt")}
          </button>
        </p>
        <Expression condition={question.showIf!} questions={earlier} />
        {errors.within(at).length ? (
          <p className="error" role="alert">
            {errors.within(at).join(" ")}
          </p>
        ) : null}
      </div>
    );
  }
  const set = (b: Builder) => props.onChange(fromBuilder(b));
  return (
    <fieldset className="skip-logic">
      <legend>{t("showThisQuestion")}</legend>
      {builder.rows.length === 0 ? <p className="muted">{t("alwaysShown")}</p> : null}
      <ConditionRows builder={builder} choices={choices} language={language} path={at} errors={errors} onChange={set} />
      {builder.rows.length && question.showIf ? (
        <p className="hint expression-line">
          {t("asExpression")} <Expression condition={question.showIf} questions={earlier} />
        </p>
      ) : null}
      {choices.length ? (
        <button type="button" className="secondary small" onClick={() => set({ ...builder, rows: [...builder.rows, { subject: "answer", question: "", op: "equals", values: [] }] })}>
          {builder.rows.length ? t("addCondition") : t("showOnlyIf")}
        </button>
      ) : (
        <p className="hint">{t("firstAlwaysShown")}</p>
      )}
    </fieldset>
  );
}

/** The answer's rule: on number questions its value, on multi-pick questions how many are chosen. */
export function ConstraintEditor(props: {
  question: Question;
  earlier: Question[];
  languages: Language[];
  language: Language;
  path: Path;
  errors: ErrorIndex;
  onChange: (constraint: Constraint | undefined) => void;
}) {
  const { t } = useEditorWords();
  const { question: q, languages, language, path, errors } = props;
  const at: Path = [...path, "constraint"];
  const constraint = q.constraint;
  const subject = constraintSubject(q);
  // Only rows about the question's own answer are editable here; a constraint naming other
  // questions (from an XLSForm) is shown as its expression, to keep or remove.
  const builder = constraint ? toBuilder(constraint.check) : { combine: "all" as const, rows: [] };
  const editable = !!subject && !!builder && builder.rows.every((r) => r.question === "." || r.question === q.id);
  if (!subject && !constraint) return null;
  const setCheck = (b: Builder) => {
    const check = fromBuilder(b);
    props.onChange(check ? { check, message: constraint?.message ?? {} } : undefined);
  };
  return (
    <fieldset className="skip-logic constraint-editor">
      <legend>{t("constraintLegend")}</legend>
      {!constraint ? <p className="muted">{subject === "count" ? t("noConstraintCount") : t("noConstraintNumber")}</p> : null}
      {constraint && (!editable || !builder) ? (
        <>
          <p className="hint">
            {t("constraintReadOnly")}{" "}
            <button type="button" className="link-button" onClick={() => props.onChange(undefined)}>
              {t("removeIt")}
            </button>
          </p>
          <Expression condition={constraint.check} questions={[...props.earlier, q]} />
        </>
      ) : builder ? (
        <ConditionRows builder={builder} choices={[]} self={q} language={language} path={[...at, "check"]} errors={errors} onChange={setCheck} />
      ) : null}
      {constraint ? (
        <LocalizedFields
          label={t("constraintMessage")}
          hint={t("constraintMessageHint")}
          value={constraint.message}
          languages={languages}
          path={[...at, "message"]}
          errors={errors}
          onChange={(message) => props.onChange({ ...constraint, message })}
        />
      ) : null}
      {editable || !constraint ? (
        <button
          type="button"
          className="secondary small"
          onClick={() => setCheck({ combine: builder?.combine ?? "all", rows: [...(builder?.rows ?? []), newConstraintRow(q)] })}
        >
          {constraint ? t("addRule") : t("setConstraint")}
        </button>
      ) : null}
    </fieldset>
  );
}
