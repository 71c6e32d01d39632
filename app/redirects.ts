// Where the app may send a browser after sign-in: only a path on its own origin.
// Control characters (C0 and DEL) and backslashes.
const hasControlOrBackslash = (text: string) => [...text].some((c) => c === "\\" || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/**
 * The target resolved against the app's own origin, as path, query and fragment; "/" for anything
 * else. Browsers read `\` as `/` and drop tabs and line breaks, so `/\evil.example` or `/\t/evil`
 * would open another site: such targets are refused before resolving, and the resolved origin is
 * compared as well.
 */
export function sameOriginPath(target: string | null | undefined, origin: string): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//")) return "/";
  if (hasControlOrBackslash(target)) return "/";
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(target, base);
  } catch {
    return "/";
  }
  if (url.origin !== base.origin) return "/";
  return url.pathname + url.search + url.hash;
}
