/** The facilitator hears who is expected a day before the session starts. */
export const rsvpSummaryLeadMs = 24 * 3600 * 1000;

/** When the summary is due, or undefined when that moment has passed (it is not sent late). */
export const rsvpSummaryAt = (sessionStart: Date, now: Date): Date | undefined => {
  const at = new Date(sessionStart.getTime() - rsvpSummaryLeadMs);
  return at.getTime() > now.getTime() ? at : undefined;
};
