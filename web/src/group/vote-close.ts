import { isValidLocalDateTime, wallTimeInstant } from "#domain/local-time.ts";

/**
 * The vote's close as the API takes it (an instant), from the form's datetime-local value read
 * on the group's clock, as a session's start is: the same conversion the API applies to a
 * session's startLocal, so a time the clocks skip moves an hour on and one that happens twice
 * is its first occurrence. Anything else is passed on as typed, for the API to name the field.
 */
export const closingInstant = (local: string, timeZone: string): string =>
  isValidLocalDateTime(local) ? wallTimeInstant(local, timeZone).toISOString() : local;
