// What a personal API token may do, chosen when it is made (shared by the settings page and the server).
export const API_SCOPES = ["aggregates", "raw", "submit"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const SCOPE_LABELS: Record<ApiScope, string> = {
  aggregates: "Read aggregated figures (programmes, surveys, indicator series, arrivals, codebooks)",
  raw: "Read raw data (response exports)",
  submit: "Collect: arm tablet links",
};

/** What a refusal says the token could not do. */
export const SCOPE_VERBS: Record<ApiScope, string> = {
  aggregates: "read aggregated figures",
  raw: "read raw data",
  submit: "arm tablets",
};

export const TOKEN_LIFETIMES_DAYS = [7, 30, 90, 365] as const;
export const DEFAULT_TOKEN_DAYS = 90;

export const parseScopes = (text: string): ApiScope[] =>
  text.split(/\s+/).filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s));
