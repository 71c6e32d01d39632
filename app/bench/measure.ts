// What a benchmark is, and the small statistics benchmarks print.
export interface Figure {
  name: string;
  value: number;
  unit: string;
}
export interface Bench {
  name: string;
  run(): Promise<Figure[]>;
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
export const round = (v: number, digits = 2) => Number(v.toFixed(digits));

