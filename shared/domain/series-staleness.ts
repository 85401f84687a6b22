import type { Series } from "./series.ts";

/** How long a series runs unconfirmed before its coordinators are asked "still meeting?". */
export const defaultStaleAfterMonths = 6;

/** `months` calendar months after `from`, in UTC; the 31st becomes the month's last day. */
export const addMonthsUtc = (from: Date, months: number): Date => {
  const to = new Date(from.getTime());
  to.setUTCDate(1);
  to.setUTCMonth(to.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() + 1, 0)).getUTCDate();
  to.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  return to;
};

type Confirmable = Pick<Series, "status" | "createdAt" | "updatedAt" | "confirmedAt" | "confirmationAskedAt">;

/**
 * When a coordinator last stood behind the series: its confirmation, or a later edit (an edit
 * is a coordinator's act even where it did not set confirmedAt), or its creation.
 */
export const lastConfirmed = (series: Confirmable): Date =>
  new Date(Math.max(Date.parse(series.confirmedAt ?? series.createdAt), Date.parse(series.updatedAt)));

/** Whether the coordinators were asked since the series was last confirmed, and not answered. */
export const awaitsConfirmation = (series: Confirmable): boolean =>
  series.status === "active" &&
  series.confirmationAskedAt !== undefined &&
  Date.parse(series.confirmationAskedAt) > lastConfirmed(series).getTime();

/**
 * When the coordinators are due to be asked "still meeting?", or undefined for an ended
 * series: `staleAfterMonths` after the last confirmation and, once asked without an answer,
 * again `staleAfterMonths` after that ask (one ask per staleness period). The instant names
 * the ask, so that a run repeated after a crash finds the same one and sends nothing twice.
 */
export const confirmationDueAt = (series: Confirmable, staleAfterMonths: number): Date | undefined => {
  if (series.status !== "active") return undefined;
  const from = awaitsConfirmation(series) ? new Date(series.confirmationAskedAt!) : lastConfirmed(series);
  return addMonthsUtc(from, staleAfterMonths);
};

/** Whether the series is due an ask now. */
export const isConfirmationDue = (series: Confirmable, staleAfterMonths: number, now: Date): boolean => {
  const due = confirmationDueAt(series, staleAfterMonths);
  return due !== undefined && due.getTime() <= now.getTime();
};

/**
 * Whether the overview shows the series as needing attention: asked and not answered, or
 * unconfirmed for longer than the staleness period (the daily ask has not run yet).
 */
export const needsConfirmation = (series: Confirmable, staleAfterMonths: number, now: Date): boolean =>
  series.status === "active" &&
  (awaitsConfirmation(series) || addMonthsUtc(lastConfirmed(series), staleAfterMonths) <= now);

/** The staleness period a setting gives: unset, the default; else a whole number of months from 1 to 120. */
export const staleAfterMonthsOf = (setting: number | undefined): number => {
  if (setting === undefined) return defaultStaleAfterMonths;
  if (!Number.isInteger(setting) || setting < 1 || setting > 120)
    throw new RangeError("a series' staleness period is a whole number of months from 1 to 120");
  return setting;
};
