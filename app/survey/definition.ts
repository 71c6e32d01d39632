// The shape of a survey definition (zod schema and types), shared by the tablet and the server.
import { z } from "zod";

export * from "./basics";
import { QUESTION_TYPES, SCALE_PRESETS } from "./basics";

// XLSForm's own naming rules, so a form's names survive import unchanged and its existing
// KoboToolbox/ODK data still matches: a letter or "_" first, then letters, digits, "_", "-" or ".".
export const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const idSchema = z
  .string()
  .regex(NAME, "Start with a letter or '_', then use letters, digits, '_', '-' or '.'.");
// Codes are kept as the form has them (dots, long names); spaces are refused for multi-pick
// questions only (definition-check.ts), where an answer is a space-separated list.
const codeSchema = z
  .string()
  .min(1, "An option code cannot be empty.")
  .max(200)
  .regex(/^\S(.*\S)?$/, "An option code cannot start or end with a space.");

export const LocalizedTextSchema = z.record(z.string(), z.string());

export const LanguageSchema = z.strictObject({
  code: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "Use a language code such as en, fr, ar or so."),
  /** The language's name in its own script ("Français", "العربية") so respondents can find it. */
  name: z.string().min(1),
  direction: z.enum(["ltr", "rtl"]),
});
export type Language = z.infer<typeof LanguageSchema>;

export const OptionSchema = z.strictObject({
  code: codeSchema,
  label: LocalizedTextSchema,
  /** An emoji or face key the tablet shows beside the label, for respondents who read little. */
  face: z.string().optional(),
  pictogram: z.string().optional(),
});
export type Option = z.infer<typeof OptionSchema>;

/** Comparison operators, written as in XLSForm. */
export const COMPARISONS = ["=", "!=", "<", "<=", ">", ">="] as const;
export type Comparison = (typeof COMPARISONS)[number];

/**
 * A condition over earlier answers. In a constraint, `question: "."` is the question's own answer.
 * `compare` compares a number or text answer with a literal (numbers numerically);
 * `countSelected` compares how many options a multi-pick answer holds.
 */
export type Condition =
  | { op: "equals"; question: string; value: string | number }
  | { op: "compare"; question: string; cmp: Comparison; value: string | number }
  | { op: "countSelected"; question: string; cmp: Comparison; value: number }
  | { op: "oneOf"; question: string; values: (string | number)[] }
  | { op: "not"; condition: Condition }
  | { op: "answered"; question: string }
  | { op: "all"; conditions: Condition[] }
  | { op: "any"; conditions: Condition[] };

// Recursive, so the type is written out above and the schema annotated with it.
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion("op", [
    z.strictObject({ op: z.literal("equals"), question: z.string(), value: z.union([z.string(), z.number()]) }),
    z.strictObject({ op: z.literal("compare"), question: z.string(), cmp: z.enum(COMPARISONS), value: z.union([z.string(), z.number()]) }),
    z.strictObject({ op: z.literal("countSelected"), question: z.string(), cmp: z.enum(COMPARISONS), value: z.number() }),
    z.strictObject({ op: z.literal("oneOf"), question: z.string(), values: z.array(z.union([z.string(), z.number()])).min(1) }),
    z.strictObject({ op: z.literal("not"), condition: ConditionSchema }),
    z.strictObject({ op: z.literal("answered"), question: z.string() }),
    z.strictObject({ op: z.literal("all"), conditions: z.array(ConditionSchema).min(1) }),
    z.strictObject({ op: z.literal("any"), conditions: z.array(ConditionSchema).min(1) }),
  ]),
);

/** A rule the answer must meet (checked only when answered), and what the respondent is told otherwise. */
export const ConstraintSchema = z.strictObject({
  check: ConditionSchema,
  message: LocalizedTextSchema.optional(),
});
export type Constraint = z.infer<typeof ConstraintSchema>;

export const DisaggregationSchema = z.union([
  z.enum(["gender", "age_band", "disability", "displacement"]),
  z.strictObject({ custom: idSchema }),
]);
export type Disaggregation = z.infer<typeof DisaggregationSchema>;

// One flat object for every type: type-specific rules (options for choices, min/max for numbers)
// live in validate.ts, where they can be reported with plain-English messages.
export const QuestionSchema = z.strictObject({
  id: idSchema,
  type: z.enum(QUESTION_TYPES),
  label: LocalizedTextSchema,
  help: LocalizedTextSchema.optional(),
  required: z.boolean().optional(),
  options: z.array(OptionSchema).optional(),
  /** The preset the options came from; the tablet uses it to pick its scale layout. */
  scale: z.enum(SCALE_PRESETS).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().optional(),
  maxPicks: z.number().int().optional(),
  showIf: ConditionSchema.optional(),
  constraint: ConstraintSchema.optional(),
  disaggregation: DisaggregationSchema.optional(),
  /** The section (an XLSForm group) the question belongs to: its heading, and whether it shows at all. */
  section: z.string().optional(),
});
export type Question = z.infer<typeof QuestionSchema>;

/**
 * A titled part of the survey (an XLSForm group, nested ones flattened to the innermost). Its
 * condition hides every question in it; `fieldList` shows its questions together on one screen.
 * Conditions may only refer to questions before the section's first question.
 */
export const SectionSchema = z.strictObject({
  id: idSchema,
  /** The heading over its questions; a section without one groups questions silently. */
  label: LocalizedTextSchema.optional(),
  showIf: ConditionSchema.optional(),
  fieldList: z.boolean().optional(),
});
export type Section = z.infer<typeof SectionSchema>;

const indicatorBase = {
  id: idSchema,
  label: LocalizedTextSchema,
  question: z.string(),
  direction: z.enum(["higher_is_better", "lower_is_better"]),
  /** Share indicators: a 0–1 fraction; mean indicators: scale units. */
  target: z.number().optional(),
  targetDate: z.iso.date().optional(),
  /** A framework reference such as "SDG 16.1.4", shown next to the indicator. */
  reference: z.string().optional(),
};

export const ShareIndicatorSchema = z.strictObject({
  ...indicatorBase,
  kind: z.literal("share"),
  /** Codes counted as "yes" (for multiple/ranking: the respondent picked any of them). */
  codes: z.array(z.string()).min(1, "List at least one code counted in the share."),
  denominator: z.union([z.literal("all"), z.strictObject({ exclude: z.array(z.string()) })]),
});

export const MeanIndicatorSchema = z.strictObject({
  ...indicatorBase,
  kind: z.literal("mean"),
  /** Codes left out of the mean (don't know, does not apply); every other code must be numeric. */
  exclude: z.array(z.string()),
});

export const IndicatorSchema = z.discriminatedUnion("kind", [ShareIndicatorSchema, MeanIndicatorSchema]);
export type Indicator = z.infer<typeof IndicatorSchema>;
export type ShareIndicator = z.infer<typeof ShareIndicatorSchema>;
export type MeanIndicator = z.infer<typeof MeanIndicatorSchema>;

export const TemplateInfoSchema = z.strictObject({
  id: idSchema,
  name: LocalizedTextSchema,
  summary: LocalizedTextSchema,
  /**
   * Languages whose texts the template carries (ready for when a facilitator adds the language)
   * but that no native speaker has reviewed yet: review them in the programme before fieldwork.
   */
  nativeReview: z.array(z.string()).optional(),
});

export const SurveyDefinitionSchema = z.strictObject({
  /** Present on the shipped templates: what the template picker shows. */
  template: TemplateInfoSchema.optional(),
  title: LocalizedTextSchema,
  description: LocalizedTextSchema.optional(),
  languages: z.array(LanguageSchema).min(1, "Declare at least one language."),
  defaultLanguage: z.string(),
  consent: LocalizedTextSchema,
  questions: z.array(QuestionSchema).min(1, "A survey needs at least one question."),
  /** Absent on surveys made before sections: every question then stands alone. */
  sections: z.array(SectionSchema).optional(),
  indicators: z.array(IndicatorSchema),
});
export type SurveyDefinition = z.infer<typeof SurveyDefinitionSchema>;

export function findQuestion(def: SurveyDefinition, id: string): Question | undefined {
  return def.questions.find((q) => q.id === id);
}
