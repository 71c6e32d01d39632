// Where the app may send a browser after sign-in: only a path on its own origin.
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;

/**
 * The target resolved against the app's own origin, as path, query and fragment; "/" for anything
 * else. Browsers read `\` as `/` and drop tabs and line breaks, so `/\evil.example` or `/\t/evil`
 * would open another site: such targets are refused before resolving, and the resolved origin is
 * compared as well.
 */
export function sameOriginPath(target: string | null | undefined, origin: string): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//")) return "/";
  if (CONTROL_OR_BACKSLASH.test(target)) return "/";
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
