// The programme form, shared by the create and edit pages.
import { z } from "zod";

export const ProgrammeSchema = z.object({
  name: z.string().trim().min(1, "Enter the programme's name.").max(160),
  country: z.string().trim().max(80).default(""),
  description: z.string().trim().max(2000).default(""),
  minCellSize: z.coerce
    .number({ message: "Enter a whole number." })
    .int("Enter a whole number.")
    .min(1, "The minimum cell size must be at least 1.")
    .max(100, "The minimum cell size can be at most 100.")
    .default(5),
});
