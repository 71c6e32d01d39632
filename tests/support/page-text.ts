// What a person reads on a served page: its text without tags, scripts or styles, and the <html>
// element's language and direction. For the checks that a page shows no English.
export function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, " ")
    .replace(/<style[\s\S]*?<\/style>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, " ");
}

export function htmlLanguage(html: string): { lang: string | null; dir: string | null } {
  const tag = /<html[^>]*>/i.exec(html)?.[0] ?? "";
  return { lang: /\slang="([^"]*)"/.exec(tag)?.[1] ?? null, dir: /\sdir="([^"]*)"/.exec(tag)?.[1] ?? null };
}

/** Latin-script words of three letters or more: on an Arabic page, each one is English left over, unless allowed. */
export function latinWords(text: string, allowed: string[]): string[] {
  const ok = new Set(allowed.map((w) => w.toLowerCase()));
  return [...new Set(text.match(/[A-Za-zÀ-ÿ]{3,}/g) ?? [])].filter((w) => !ok.has(w.toLowerCase()));
}
