import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { cancelEndedOccurrences } from "#use-cases/series/end-series.ts";
import { extendDueSeriesWindows, extendSeriesWindow } from "#use-cases/series/extend-series-window.ts";

type SeriesPorts = Pick<Ports, "store" | "series" | "roles" | "clock" | "log">;

/**
 * A series' window of sessions, kept 13 weeks ahead.
 * - SeriesCreated, SeriesChanged: its occurrences up to the window's edge become sessions.
 * - SeriesEnded: its sessions still to come are cancelled.
 * Both are idempotent: a redelivered event makes and cancels nothing twice.
 */
export const createExtendSeriesWindows =
  (ports: SeriesPorts): EventHandler =>
  async (event) => {
    const at = { groupId: event.groupId };
    if (event.type === "SeriesCreated" || event.type === "SeriesChanged") {
      const ref = { organisationId: event.organisationId, groupId: event.groupId, id: event.data.series.id };
      const extended = await extendSeriesWindow(ports, ref, event.correlationId);
      ports.log.info("series window extended", { ...at, seriesId: ref.id, ...extended });
      return;
    }
    if (event.type === "SeriesEnded") {
      const ref = { organisationId: event.organisationId, groupId: event.groupId, id: event.data.seriesId };
      const ended = await cancelEndedOccurrences(ports, ref);
      ports.log.info("ended series' sessions cancelled", { ...at, seriesId: ref.id, ...ended });
    }
  };

/** The daily run: every series whose next occurrence comes within the window gets it as a session. */
export const createExtendDueSeriesWindows = (ports: SeriesPorts) => async (): Promise<void> => {
  const done = await extendDueSeriesWindows(ports);
  ports.log.info("due series windows extended", done);
};
