// The show-if builder: "show this question only if all / any of these hold", over earlier questions.
import type { Condition, Language, Question } from "~/survey";
import { fieldId, type ErrorIndex, type Path } from "./paths";
import { FieldErrors } from "./fields";

type Row = { question: string; op: "equals" | "oneOf" | "notEquals" | "answered"; values: string[] };
type Simple = { combine: "all" | "any"; rows: Row[] };

/** The builder edits conditions of this shape; anything deeper is shown read-only. */
function toSimple(c: Condition | undefined): Simple | null {
  if (!c) return { combine: "all", rows: [] };
  const row = (x: Condition): Row | null => {
    if (x.op === "equals") return { question: x.question, op: "equals", values: [String(x.value)] };
    if (x.op === "oneOf") return { question: x.question, op: "oneOf", values: x.values.map(String) };
    if (x.op === "answered") return { question: x.question, op: "answered", values: [] };
    if (x.op === "not" && x.condition.op === "equals")
      return { question: x.condition.question, op: "notEquals", values: [String(x.condition.value)] };
    return null;
  };
  if (c.op === "all" || c.op === "any") {
    const rows = c.conditions.map(row);
    return rows.every(Boolean) ? { combine: c.op, rows: rows as Row[] } : null;
  }
  const single = row(c);
  return single ? { combine: "all", rows: [single] } : null;
}

function fromSimple(s: Simple): Condition | undefined {
  // Incomplete rows are kept (and flagged by validation) so a half-built condition is not lost.
  const conds: Condition[] = s.rows.map((r) => {
      if (r.op === "answered") return { op: "answered", question: r.question };
      if (r.op === "oneOf") return { op: "oneOf", question: r.question, values: r.values.length ? r.values : [""] };
      if (r.op === "notEquals") return { op: "not", condition: { op: "equals", question: r.question, value: r.values[0] ?? "" } };
      return { op: "equals", question: r.question, value: r.values[0] ?? "" };
  });
  if (conds.length === 0) return undefined;
  if (conds.length === 1) return conds[0];
  return { op: s.combine, conditions: conds };
}

export function SkipLogicEditor(props: {
  question: Question;
  earlier: Question[];
  language: Language;
  path: Path;
  errors: ErrorIndex;
  onChange: (showIf: Condition | undefined) => void;
}) {
  const { question, earlier, language, path, errors } = props;
  const simple = toSimple(question.showIf);
  const label = (q: Question) => `${q.id} — ${(q.label?.[language.code] ?? "").slice(0, 60)}`;
  if (!simple) {
    return (
      <div className="skip-logic">
        <p className="hint">
          This question has a nested condition the builder cannot show. <button type="button" className="link-button" onClick={() => props.onChange(undefined)}>Remove it</button> to build a new one.
        </p>
        <pre className="json">{JSON.stringify(question.showIf, null, 2)}</pre>
        <FieldErrors errors={errors} path={[...path, "showIf"]} />
      </div>
    );
  }
  const set = (s: Simple) => props.onChange(fromSimple(s));
  const setRow = (i: number, patch: Partial<Row>) => set({ ...simple, rows: simple.rows.map((r, k) => (k === i ? { ...r, ...patch } : r)) });
  const choices = earlier.filter((q) => q.type !== "info");
  return (
    <fieldset className="skip-logic">
      <legend>Show this question</legend>
      {simple.rows.length === 0 ? <p className="muted">Always shown.</p> : null}
      {simple.rows.length > 1 ? (
        <div className="field inline-field">
          <label htmlFor={fieldId([...path, "showIf", "combine"])}>Show when</label>
          <select id={fieldId([...path, "showIf", "combine"])} value={simple.combine} onChange={(e) => set({ ...simple, combine: e.target.value as "all" | "any" })}>
            <option value="all">all of these hold</option>
            <option value="any">any of these holds</option>
          </select>
        </div>
      ) : null}
      {simple.rows.map((row, i) => {
        const target = choices.find((q) => q.id === row.question);
        const options = target?.options ?? [];
        const rowId = fieldId([...path, "showIf", i]);
        return (
          <div className="condition-row" key={i}>
            <span className="muted">{i === 0 ? "Only if" : simple.combine === "all" ? "and" : "or"}</span>
            <select aria-label="Earlier question" id={`${rowId}-q`} value={row.question} onChange={(e) => setRow(i, { question: e.target.value, values: [] })}>
              <option value="">Choose a question…</option>
              {choices.map((q) => (
                <option key={q.id} value={q.id}>
                  {label(q)}
                </option>
              ))}
            </select>
            <select aria-label="Condition" value={row.op} onChange={(e) => setRow(i, { op: e.target.value as Row["op"] })}>
              <option value="equals">is</option>
              <option value="oneOf">is one of</option>
              <option value="notEquals">is not</option>
              <option value="answered">is answered</option>
            </select>
            {row.op === "answered" ? null : options.length ? (
              row.op === "oneOf" ? (
                <span className="checks" role="group" aria-label="Answers">
                  {options.map((o) => (
                    <label key={o.code}>
                      <input
                        type="checkbox"
                        checked={row.values.includes(o.code)}
                        onChange={(e) =>
                          setRow(i, { values: e.target.checked ? [...row.values, o.code] : row.values.filter((v) => v !== o.code) })
                        }
                      />{" "}
                      {o.label?.[language.code] || o.code}
                    </label>
                  ))}
                </span>
              ) : (
                <select aria-label="Answer" value={row.values[0] ?? ""} onChange={(e) => setRow(i, { values: [e.target.value] })}>
                  <option value="">Choose an answer…</option>
                  {options.map((o) => (
                    <option key={o.code} value={o.code}>
                      {o.label?.[language.code] || o.code} ({o.code})
                    </option>
                  ))}
                </select>
              )
            ) : (
              <input aria-label="Value" value={row.values[0] ?? ""} onChange={(e) => setRow(i, { values: [e.target.value] })} />
            )}
            <button type="button" className="icon danger" aria-label={`Remove condition ${i + 1}`} onClick={() => set({ ...simple, rows: simple.rows.filter((_, k) => k !== i) })}>
              ✕
            </button>
          </div>
        );
      })}
      <FieldErrors errors={errors} path={[...path, "showIf"]} />
      {choices.length ? (
        <button type="button" className="secondary small" onClick={() => set({ ...simple, rows: [...simple.rows, { question: "", op: "equals", values: [] }] })}>
          {simple.rows.length ? "Add a condition" : "Show only if…"}
        </button>
      ) : (
        <p className="hint">The first question is always shown: conditions refer to earlier answers.</p>
      )}
    </fieldset>
  );
}
