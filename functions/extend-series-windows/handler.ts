import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { cancelEndedOccurrences } from "#use-cases/series/end-series.ts";
import { alignSeriesSessions } from "#use-cases/series/align-series-sessions.ts";
import { extendDueSeriesWindows, extendSeriesWindow } from "#use-cases/series/extend-series-window.ts";

type SeriesPorts = Pick<Ports, "store" | "series" | "roles" | "clock" | "log">;

/**
 * A series' window of sessions, kept 13 weeks ahead.
 * - SeriesChanged by an edit of "following" or "all": its sessions to come are brought in
 *   line (alignSeriesSessions), a split's new series taking over the old one's.
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
      if (event.type === "SeriesChanged" && event.data.scope !== "this") {
        // A split's new series takes over the old one's sessions from the split on.
        const { splitInto } = event.data;
        const edited = splitInto ? [{ ...ref, id: splitInto.seriesId }, ref] : [ref];
        for (const one of edited) {
          const aligned = await alignSeriesSessions(ports, one, event.data.changed, event.correlationId);
          ports.log.info("series sessions aligned", { ...at, seriesId: one.id, ...aligned });
        }
      }
      // As of the event: a replayed or late event fills no more than it did when it was new.
      const extended = await extendSeriesWindow(ports, ref, event.correlationId, new Date(event.occurredAt));
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
