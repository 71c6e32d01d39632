// Immutable updates by path, and the error lookup the editor's fields use.
import type { ValidationError } from "~/survey";

export type Path = (string | number)[];

export function setAt<T>(root: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  const base: any = Array.isArray(root) ? [...root] : { ...(root as object) };
  const child = (root as any)?.[head];
  const next = setAt(child ?? (typeof rest[0] === "number" ? [] : {}), rest, value);
  if (next === undefined) {
    if (Array.isArray(base)) base.splice(Number(head), 1);
    else delete base[head];
  } else base[head] = next;
  return base;
}

export const pathKey = (path: Path) => path.join(".");
export const fieldId = (path: Path) => `fld-${pathKey(path)}`;

export class ErrorIndex {
  private byPath = new Map<string, string[]>();
  /** `text` words each fault (the editor makes it from the code, in the staff language). */
  constructor(
    public errors: ValidationError[],
    text: (e: ValidationError) => string = (e) => e.message,
  ) {
    for (const e of errors) {
      const list = this.byPath.get(e.path) ?? [];
      list.push(text(e));
      this.byPath.set(e.path, list);
    }
  }
  /** Messages exactly at a path. */
  at(path: Path): string[] {
    return this.byPath.get(pathKey(path)) ?? [];
  }
  /** Messages at or under a path (a condition row's question, value and nested parts). */
  within(path: Path): string[] {
    const key = pathKey(path);
    return [...this.byPath].filter(([p]) => p === key || p.startsWith(key + ".")).flatMap(([, m]) => m);
  }
  /** How many errors sit at or under a path. */
  under(path: Path): number {
    const key = pathKey(path);
    return this.errors.filter((e) => e.path === key || e.path.startsWith(key + ".")).length;
  }
}

export function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return list;
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

/** A lower_snake_case id from free text, unique among `taken`. */
export function slugId(text: string, taken: Iterable<string>, fallback = "q"): string {
  const used = new Set(taken);
  let base = text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .split("_")
    .slice(0, 5)
    .join("_");
  if (!/^[a-z]/.test(base)) base = fallback + (base ? "_" + base : "");
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
  return id;
}
