// The last check of a suppression pattern: the range a determined reader can bound each small hidden
// group's figures to, by linear programming over every public line (what statistical offices' tools
// such as τ-Argus do). The engine's own bound propagation (./disclosure) is cheaper and catches most
// cases; this catches the rest, where several lines together narrow a figure more than any one does.
//
// One model per additive part (an answer code's count, or a figure itself when it has no parts),
// over the hidden items' values of that part; a figure's range is the weighted sum of its parts'
// ranges, since no line mixes parts. HiGHS (WebAssembly) solves them; each model is solved again per
// objective, starting from the last basis.
import highsLoader from "highs";
import type { Guard, ItemReason, Narrow, ProtectionProblem } from "./disclosure";

type Highs = Awaited<ReturnType<typeof highsLoader>>;

let loading: Promise<Highs> | null = null;
/** The solver, loaded once per process. */
export const loadSolver = () => (loading ??= highsLoader());

/**
 * Every small hidden item with a figure narrower than its need (the first such figure of each).
 * `verified` carries the items found wide enough by earlier audits of the same problem: hiding more
 * items only ever widens a range (a shown value becomes an unknown), so they need no second look.
 */
export function lpNarrowItems(
  highs: Highs,
  problem: ProtectionProblem,
  figures: Guard[],
  hidden: ItemReason[],
  watched: (id: number) => boolean,
  verified: Set<number> = new Set(),
): Narrow[] {
  const targets: number[] = [];
  for (let id = 0; id < hidden.length; id++) if (!verified.has(id) && watched(id) && figures.some((g) => g.applies[id])) targets.push(id);
  if (!targets.length) return [];
  const lines = problem.lines.filter((line) => hidden[line.total] !== null || line.members.some((id) => hidden[id] !== null));
  // One model per part, built when first needed; a part's range for an item, solved when first needed.
  const models = new Map<number[], PartModel>();
  const rangeOf = (vector: number[], id: number): number => {
    let model = models.get(vector);
    if (!model) models.set(vector, (model = new PartModel(highs, vector, lines, hidden, targets)));
    return model.width(id);
  };
  const found: Narrow[] = [];
  try {
    for (const id of targets) {
      for (const g of figures) {
        if (!g.applies[id]) continue;
        const parts = g.terms ? g.terms.map(([p, w]) => [problem.parts![p], w] as const) : [[g.values, 1] as const];
        // Parts are added up until the figure is wide enough: most need one or two.
        let width = 0;
        for (const [vector, w] of parts) {
          width += Math.abs(w) * rangeOf(vector, id);
          if (width >= g.need - 1e-6) break;
        }
        if (width < g.need - 1e-6) {
          found.push({ item: id, figure: g.values, need: g.need });
          break;
        }
      }
      if (found[found.length - 1]?.item !== id) verified.add(id);
    }
  } finally {
    for (const model of models.values()) model.dispose();
  }
  return found;
}

/** The LP of one part: the hidden items' values are the unknowns, the lines its equalities. */
class PartModel {
  private readonly model;
  private readonly column = new Map<number, number>();
  private readonly widths = new Map<number, number>();
  private readonly numCols: number;

  constructor(
    private readonly highs: Highs,
    vector: number[],
    lines: ProtectionProblem["lines"],
    hidden: ItemReason[],
    targets: number[],
  ) {
    const col = (id: number) => {
      let c = this.column.get(id);
      if (c === undefined) this.column.set(id, (c = this.column.size));
      return c;
    };
    const rows: string[] = [];
    for (const line of lines) {
      let rhs = 0;
      const terms: string[] = [];
      const add = (id: number, coef: number) => {
        if (hidden[id] === null) rhs -= coef * vector[id];
        else terms.push(`${coef > 0 ? "+" : "-"} x${col(id)}`);
      };
      for (const id of line.members) add(id, 1);
      add(line.total, -1);
      if (terms.length) rows.push(` r${rows.length}: ${terms.join(" ")} = ${rhs}`);
    }
    for (const id of targets) col(id);
    const ids = [...this.column.values()];
    const text = `Minimize\n obj: ${ids.map((c) => `0 x${c}`).join(" + ")}\nSubject To\n${rows.length ? rows.join("\n") : " r0: 0 x0 = 0"}\nBounds\n${ids.map((c) => ` 0 <= x${c} <= 1000000000`).join("\n")}\nEnd\n`;
    this.model = highs.createModel({ format: "lp", data: text });
    this.model.options.set({ output_flag: false });
    this.numCols = this.model.getDimensions().numCols;
  }

  /** How far the item's value of this part can move (solved again from the last basis). */
  width(id: number): number {
    let w = this.widths.get(id);
    if (w === undefined) this.widths.set(id, (w = this.extreme(id, "maximize") - this.extreme(id, "minimize")));
    return w;
  }

  private extreme(id: number, sense: "minimize" | "maximize"): number {
    const { model, highs } = this;
    const costs = new Float64Array(this.numCols);
    costs[model.getColByName(`x${this.column.get(id)!}`)] = 1;
    model.changeColsCost({ kind: "range", from: 0, to: this.numCols - 1 }, costs);
    model.changeObjectiveSense(highs.constants.objectiveSense[sense]);
    model.run();
    const s = model.getModelStatus();
    if (s === highs.constants.modelStatus.unbounded) return sense === "minimize" ? -Infinity : Infinity;
    if (s !== highs.constants.modelStatus.optimal) throw new Error(`range audit: the shown figures admit no solution (status ${s})`);
    return model.getObjectiveValue();
  }

  dispose() {
    this.model.dispose();
  }
}
