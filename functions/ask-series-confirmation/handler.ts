import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { askSeriesCoordinators } from "#use-cases/series/ask-series-coordinators.ts";
import { askStaleSeries } from "#use-cases/series/ask-stale-series.ts";
import { confirmSeriesAnswer } from "#use-cases/series/confirm-series-answer.ts";

type AskPorts = Pick<Ports, "store" | "series" | "mailer" | "clock" | "log" | "settings">;

/**
 * "Still meeting?" for series nobody has confirmed in a while.
 * - SeriesConfirmationAsked: the series' coordinators are emailed the question, once each.
 * - SeriesConfirmationAnswered: the coordinator who answered is told what came of it, once.
 * Both are idempotent: a redelivered event sends nothing twice.
 */
export const createAskSeriesConfirmation =
  (ports: AskPorts): EventHandler =>
  async (event) => {
    const at = { groupId: event.groupId };
    if (event.type === "SeriesConfirmationAsked") {
      const asked = await askSeriesCoordinators(ports, event);
      ports.log.info("series coordinators asked", { ...at, seriesId: event.data.seriesId, ...asked });
      return;
    }
    if (event.type === "SeriesConfirmationAnswered") {
      const told = await confirmSeriesAnswer(ports, event);
      ports.log.info("series answer confirmed", { ...at, seriesId: event.data.seriesId, outcome: told });
    }
  };

/** The daily run: series unconfirmed for their staleness period have the ask recorded. */
export const createAskStaleSeries = (ports: AskPorts) => async (): Promise<void> => {
  const done = await askStaleSeries(ports);
  ports.log.info("stale series asked", done);
};
