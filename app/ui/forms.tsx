// Form pieces shared by every page: the CSRF field, labelled inputs with their errors, notices.
import { useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";

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
