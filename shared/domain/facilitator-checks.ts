import { facilitatorAlertTimes, type FacilitatorAlert } from "./vacancy.ts";

/**
 * When to look at a session for a facilitator: at facilitatorAlertTimes, scheduled
 * for each session version. Pure: the clock is passed in.
 */
export interface FacilitatorCheckPlan {
  /** Checks still ahead, each to be scheduled at its instant. */
  scheduled: { alert: FacilitatorAlert; at: Date }[];
  /**
   * True when a check's instant has passed but the session has not started (it was scheduled
   * or moved to within 7 days): it is checked at once, since no schedule would look at it
   * before the next check, if any.
   */
  checkNow: boolean;
}

/**
 * The checks for a session starting at `sessionStart`: instants still ahead are scheduled; an
 * instant already reached is checked now instead. A session starting in 5 days is checked at
 * once (the early alert) and gets its final check; one starting within 48 hours is checked at
 * once only; one that has started, not at all.
 */
export function facilitatorCheckPlan(sessionStart: Date, now: Date): FacilitatorCheckPlan {
  if (sessionStart.getTime() <= now.getTime()) return { scheduled: [], checkNow: false };
  const times = facilitatorAlertTimes(sessionStart);
  const alerts: FacilitatorAlert[] = ["early", "final"];
  const scheduled = alerts
    .filter((alert) => times[alert].getTime() > now.getTime())
    .map((alert) => ({ alert, at: times[alert] }));
  return { scheduled, checkNow: scheduled.length < alerts.length };
}
