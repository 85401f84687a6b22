/**
 * Structured logs. Callers pass ids and counts only: never names, addresses, phone
 * numbers or message bodies (the data describes people in mental-health groups).
 */
export interface Log {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
