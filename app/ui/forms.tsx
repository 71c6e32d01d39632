// Form pieces shared by every page: the CSRF field, labelled inputs with their errors, notices.
import { useRouteLoaderData } from "@remix-run/react";
import { useState, type ReactNode } from "react";

export function CsrfField() {
  const data = useRouteLoaderData<{ csrf: string }>("root");
  return <input type="hidden" name="csrf" value={data?.csrf ?? ""} />;
}

export function Field(props: {
  label: string;
  name: string;
  type?: string;
  defaultValue?: string | number;
  required?: boolean;
  error?: string;
  hint?: string;
  autoComplete?: string;
  min?: number;
  max?: number;
  children?: ReactNode;
}) {
  const id = `f-${props.name}`;
  const describedBy = [props.hint ? `${id}-hint` : null, props.error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`field${props.error ? " has-error" : ""}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children ?? (
        <input
          id={id}
          name={props.name}
          type={props.type ?? "text"}
          defaultValue={props.defaultValue}
          required={props.required}
          autoComplete={props.autoComplete}
          min={props.min}
          max={props.max}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy || undefined}
        />
      )}
      {props.hint ? (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="error" id={`${id}-error`} role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function Notice({ kind = "info", children }: { kind?: "info" | "success" | "error"; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

/**
 * A key that changes after each successful submission, so a form given it as `key` starts empty
 * again (and a password typed into it does not linger on screen).
 */
export function useResetKey(result: unknown): number {
  const [state, setState] = useState({ result, key: 0 });
  if (state.result !== result) {
    const ok = typeof result === "object" && result !== null && "ok" in result;
    setState({ result, key: state.key + (ok ? 1 : 0) });
  }
  return state.key;
}

/**
 * The field errors and typed values an action returned, for one form on the page (actions return
 * the form's `intent`) or, without an intent, for the page's only form.
 */
export function formFeedback(result: unknown, intent?: string): { errors: Record<string, string>; values: Record<string, string> } {
  const r = (typeof result === "object" && result !== null ? result : {}) as { intent?: unknown; errors?: unknown; values?: unknown };
  const mine = intent === undefined || r.intent === intent;
  return {
    errors: (mine && (r.errors as Record<string, string>)) || {},
    values: (mine && (r.values as Record<string, string>)) || {},
  };
}
