// Options of a choice question: stable codes, labels in every language, faces; presets for scales.
import { useState } from "react";
import { presetOptions, SCALE_PRESETS, type Language, type Option, type Question, type ScalePreset } from "~/survey";
import { fieldId, move, type ErrorIndex, type Path } from "./paths";
import type { EditorWords } from "~/i18n/staff/editor";
import { FieldErrors } from "./fields";
import { useEditorWords } from "./words";

/** Each scale preset's name, as a key of the editor's words. */
export const PRESET_NAMES: Record<ScalePreset, keyof EditorWords> = {
  sdg16_safety: "presetSdg16",
  agreement5: "presetAgreement5",
  trust4: "presetTrust4",
  frequency5: "presetFrequency5",
  yes_no: "presetYesNo",
};

export function OptionsEditor(props: {
  question: Question;
  languages: Language[];
  defaultLanguage?: string;
  path: Path;
  errors: ErrorIndex;
  onChange: (q: Question) => void;
}) {
  const { t } = useEditorWords();
  const { question: q, languages, path, errors } = props;
  const options = q.options ?? [];
  // With more than two languages the table shows the source beside one chosen target, so no
  // input is squeezed to a few pixels on a tablet; the choice says how many labels each lacks.
  const source = languages.find((l) => l.code === props.defaultLanguage) ?? languages[0];
  const targets = languages.filter((l) => l !== source);
  const missingIn = (l: Language) => options.filter((o) => !(o.label?.[l.code] ?? "").trim()).length;
  const [chosen, setChosen] = useState<string | null>(null);
  const target = targets.find((l) => l.code === chosen) ?? targets.find((l) => missingIn(l) > 0) ?? targets[0];
  const paired = languages.length > 2;
  const shown = paired ? [source, target] : languages;
  const setOptions = (next: Option[]) => props.onChange({ ...q, options: next });
  const setOption = (i: number, patch: Partial<Option>) => setOptions(options.map((o, k) => (k === i ? { ...o, ...patch } : o)));
  const nextCode = () => {
    const numeric = options.map((o) => Number(o.code)).filter((n) => Number.isInteger(n) && n < 90);
    return String(numeric.length ? Math.max(...numeric) + 1 : options.length + 1);
  };
  return (
    <div className="options-editor">
      {q.type === "scale" ? (
        <div className="field inline-field">
          <label htmlFor={fieldId([...path, "scale"])}>{t("scale")}</label>
          <select
            id={fieldId([...path, "scale"])}
            value={q.scale ?? ""}
            onChange={(e) => {
              const preset = e.target.value as ScalePreset;
              if (!preset) return props.onChange({ ...q, scale: undefined });
              props.onChange({ ...q, scale: preset, options: presetOptions(preset, languages.map((l) => l.code)) });
            }}
          >
            <option value="">{t("customOptions")}</option>
            {SCALE_PRESETS.map((p) => (
              <option key={p} value={p}>
                {t(PRESET_NAMES[p])}
              </option>
            ))}
          </select>
          <p className="hint">{t("scaleHint")}</p>
        </div>
      ) : null}
      {paired ? (
        <div className="field inline-field">
          <label htmlFor={fieldId([...path, "options", "language"])}>{t("translateOptionsInto")}</label>
          <select id={fieldId([...path, "options", "language"])} value={target.code} onChange={(e) => setChosen(e.target.value)}>
            {targets.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name} ({l.code}){missingIn(l) ? ` · ${t("nMissing", { n: missingIn(l) })}` : ""}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="table-wrap">
        <table className="data options-table">
          <caption className="visually-hidden">{t("options")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("code")}</th>
              {shown.map((l) => (
                <th scope="col" key={l.code} lang={l.code} dir={l.direction}>
                  {l.name}
                </th>
              ))}
              <th scope="col">{t("face")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("order")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {options.map((o, i) => (
              <tr key={i}>
                <td>
                  <input
                    className="code-input"
                    dir="ltr"
                    aria-label={t("codeOfOption", { n: i + 1 })}
                    id={fieldId([...path, "options", i, "code"])}
                    value={o.code}
                    onChange={(e) => setOption(i, { code: e.target.value.trim() })}
                  />
                  <FieldErrors errors={errors} path={[...path, "options", i, "code"]} />
                  <FieldErrors errors={errors} path={[...path, "options", i]} />
                </td>
                {shown.map((l) => {
                  const p = [...path, "options", i, "label", l.code];
                  const missing = !(o.label?.[l.code] ?? "").trim();
                  return (
                    <td key={l.code} className={missing ? "missing" : undefined}>
                      <input
                        id={fieldId(p)}
                        lang={l.code}
                        dir={l.direction}
                        aria-label={t("optionIn", { n: i + 1, language: l.name })}
                        placeholder={missing ? t("missing") : undefined}
                        value={o.label?.[l.code] ?? ""}
                        onChange={(e) => setOption(i, { label: { ...o.label, [l.code]: e.target.value } })}
                      />
                      <FieldErrors errors={errors} path={p} />
                    </td>
                  );
                })}
                <td>
                  <input
                    className="face-input"
                    aria-label={t("faceOfOption", { n: i + 1 })}
                    value={o.face ?? ""}
                    onChange={(e) => setOption(i, { face: e.target.value || undefined })}
                  />
                </td>
                <td className="row-tools">
                  <button type="button" className="icon" aria-label={t("moveOptionUp", { n: i + 1 })} onClick={() => setOptions(move(options, i, i - 1))} disabled={i === 0}>
                    ↑
                  </button>
                  <button type="button" className="icon" aria-label={t("moveOptionDown", { n: i + 1 })} onClick={() => setOptions(move(options, i, i + 1))} disabled={i === options.length - 1}>
                    ↓
                  </button>
                  <button type="button" className="icon danger" aria-label={t("removeOption", { n: i + 1 })} onClick={() => setOptions(options.filter((_, k) => k !== i))}>
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FieldErrors errors={errors} path={[...path, "options"]} />
      <button type="button" className="secondary small" onClick={() => setOptions([...options, { code: nextCode(), label: {} }])}>
        {t("addOption")}
      </button>
      <p className="hint">{t("codesHint")}</p>
    </div>
  );
}
