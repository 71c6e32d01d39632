// Limits and keys of the texts saved with a report, shared by the page and the server.
/** The executive summary is saved under this indicator id. */
export const SUMMARY = "";
export const REPORT_TEXT_MAX = 4000;
