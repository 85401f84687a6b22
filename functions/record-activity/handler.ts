import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { recordActivity } from "#use-cases/overview/record-group-activity.ts";

/**
 * The group activity log's projection: an event that concerns a group → one item in the
 * group's log (ids and facts only), written once however often the event arrives.
 */
export const createRecordActivity =
  (ports: Pick<Ports, "activity" | "clock" | "log">): EventHandler =>
  async (event) => {
    const outcome = await recordActivity(ports, event);
    if (outcome) ports.log.info("activity recorded", { ...outcome });
  };
