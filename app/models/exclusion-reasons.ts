// Why a facilitator takes data out of the figures (shared by the server and the data page).
export const EXCLUSION_REASONS = {
  facilitator_error: "Facilitator's error",
  test_run: "Test run",
  duplicate: "Duplicate found later",
  other: "Other",
} as const;
export type ExclusionReason = keyof typeof EXCLUSION_REASONS;
