// A small browser-like HTTP client: keeps cookies, reads the CSRF token from pages, posts forms
// the way a browser does (with an Origin header), never follows redirects silently.
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
  json<T = any>(): T;
}

export class HttpClient {
  cookies = new Map<string, string>();
  constructor(public base: string) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim())) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit & { origin?: string | null } = {}): Promise<Reply> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", this.cookieHeader());
    const method = (init.method ?? "GET").toUpperCase();
    if (method !== "GET" && init.origin !== null && !headers.has("Origin")) headers.set("Origin", init.origin ?? this.base);
    const res = await fetch(this.base + path, { ...init, headers, redirect: "manual" });
    this.remember(res);
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      location: res.headers.get("location"),
      json: () => JSON.parse(text),
    };
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }

  /** The CSRF token a page's forms carry. */
  async csrfFrom(path: string): Promise<string> {
    const page = await this.get(path);
    const match = /name="csrf" value="([^"]*)"/.exec(page.text);
    if (!match) throw new Error(`no CSRF field on ${path} (status ${page.status})`);
    return match[1];
  }

  /** Submits a form as a browser would: fetches the page for its CSRF token unless one is given. */
  async submit(
    path: string,
    fields: Record<string, string>,
    options: { csrf?: string | null; origin?: string | null; page?: string } = {},
  ): Promise<Reply> {
    const csrf = options.csrf === undefined ? await this.csrfFrom(options.page ?? path) : options.csrf;
    const body = new URLSearchParams(fields);
    if (csrf !== null) body.set("csrf", csrf);
    return this.request(path, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      origin: options.origin,
    });
  }

  async signIn(email: string, password: string): Promise<Reply> {
    const reply = await this.submit("/login", { email, password });
    if (reply.status !== 302) throw new Error(`sign-in failed for ${email}: ${reply.status}`);
    return reply;
  }
}
