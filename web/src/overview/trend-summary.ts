import { formatMonth } from "../ui/format.ts";

export interface TrendPoint {
  month: string;
  value: number | null;
}

/**
 * A chart's text alternative in one sentence: the span, the latest value, the highest and
 * lowest with their months, and how many months have no figure.
 */
export const describeTrend = (points: readonly TrendPoint[], format: (value: number) => string): string => {
  const known = points.filter((p): p is { month: string; value: number } => p.value !== null);
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return "No months to show.";
  const span = `${formatMonth(first.month)} to ${formatMonth(last.month)}`;
  if (known.length === 0) return `${span}: no figures yet.`;
  const highest = known.reduce((a, b) => (b.value > a.value ? b : a));
  const lowest = known.reduce((a, b) => (b.value < a.value ? b : a));
  const latest = known[known.length - 1]!;
  const missing = points.length - known.length;
  return [
    `${span}: latest ${format(latest.value)} (${formatMonth(latest.month)})`,
    `highest ${format(highest.value)} (${formatMonth(highest.month)})`,
    `lowest ${format(lowest.value)} (${formatMonth(lowest.month)})`,
    ...(missing > 0 ? [`no figure for ${missing} month${missing === 1 ? "" : "s"}`] : []),
  ]
    .join(", ")
    .concat(".");
};
