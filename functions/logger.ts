import { Logger } from "@aws-lambda-powertools/logger";
import type { Log } from "#ports/logger.ts";

/**
 * One Powertools logger per container; its service name and level come from the function's
 * POWERTOOLS_* environment. The middleware adds the Lambda context to every line.
 */
export const logger = new Logger();

/** The Log port over Powertools; callers pass ids and counts only, never personal data. */
export const logOf = (powertools: Logger): Log => ({
  debug: (message, fields) => powertools.debug(message, fields ?? {}),
  info: (message, fields) => powertools.info(message, fields ?? {}),
  warn: (message, fields) => powertools.warn(message, fields ?? {}),
  error: (message, fields) => powertools.error(message, fields ?? {}),
});
