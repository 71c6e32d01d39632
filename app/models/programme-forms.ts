// The programme form, shared by the create and edit pages, and the rule for the minimum cell size.
import { z } from "zod";

/** No programme may publish a figure standing on fewer than 3 respondents. */
export const MIN_CELL_SIZE_FLOOR = 3;
/** Below this only an administrator may set it: a facilitator can raise protection, not thin it. */
export const MIN_CELL_SIZE_WITHOUT_ADMIN = 5;

/** The messages of the programme form, so a page can give them in its language. */
export interface ProgrammeFormMessages {
  name: string;
  wholeNumber: string;
  floor: string;
  max: string;
}
const english: ProgrammeFormMessages = {
  name: "Enter the programme's name.",
  wholeNumber: "Enter a whole number.",
  floor: `The minimum cell size must be at least ${MIN_CELL_SIZE_FLOOR}: smaller groups could be singled out.`,
  max: "The minimum cell size can be at most 100.",
};

const minCellSizeOf = (m: ProgrammeFormMessages) =>
  z.coerce.number({ message: m.wholeNumber }).int(m.wholeNumber).min(MIN_CELL_SIZE_FLOOR, m.floor).max(100, m.max);
const minCellSize = minCellSizeOf(english);

export const programmeSchema = (m: ProgrammeFormMessages = english) =>
  z.object({
    name: z.string().trim().min(1, m.name).max(160),
    country: z.string().trim().max(80).default(""),
    description: z.string().trim().max(2000).default(""),
    minCellSize: minCellSizeOf(m).default(5),
  });
export const ProgrammeSchema = programmeSchema();

export const MinCellSizeSchema = z.object({ minCellSize });

/** Why this person may not set this value (null: they may); the message is for the `minCellSize` field. */
export function minCellSizeProblem(value: number, isAdmin: boolean): string | null {
  if (!Number.isInteger(value) || value < MIN_CELL_SIZE_FLOOR)
    return `The minimum cell size must be at least ${MIN_CELL_SIZE_FLOOR}: smaller groups could be singled out.`;
  if (value > 100) return "The minimum cell size can be at most 100.";
  if (value < MIN_CELL_SIZE_WITHOUT_ADMIN && !isAdmin)
    return `Only an administrator can set the minimum cell size below ${MIN_CELL_SIZE_WITHOUT_ADMIN}.`;
  return null;
}

/** How a programme's responses were sampled; it decides how intervals are computed. */
export type Sampling = "auto" | "simple" | "community";
export const SAMPLING_LABELS: Record<Sampling, string> = {
  auto: "Clustered by community when responses come from more than one community (default)",
  simple: "Simple random sample of the whole area",
  community: "Clustered by community",
};
export const SamplingSchema = z.object({
  sampling: z.enum(["auto", "simple", "community"], { message: "Choose how the respondents were sampled." }),
});
