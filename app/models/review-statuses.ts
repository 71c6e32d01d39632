// Review statuses of a single response and where responses come from (shared by the server and the responses pages).
export const REVIEW_STATUSES = { approved: "Approved", on_hold: "On hold", not_approved: "Not approved" } as const;
export type ReviewStatus = keyof typeof REVIEW_STATUSES;

/** Where responses come from, in the words of the table's filter (the sources the app writes). */
export const RESPONSE_SOURCES: Record<string, string> = { api: "Tablet or link", import: "Imported file", demo: "Demo data" };
