import { Logger } from "@aws-lambda-powertools/logger";
import type { Log } from "../../ports/logger.ts";

/** Powertools' structured logger, the same on Lambda and locally; level from POWERTOOLS_LOG_LEVEL. */
export const powertoolsLog = (serviceName = "convene"): Log => {
  const logger = new Logger({ serviceName });
  return {
    debug: (m, f) => logger.debug(m, f ?? {}),
    info: (m, f) => logger.info(m, f ?? {}),
    warn: (m, f) => logger.warn(m, f ?? {}),
    error: (m, f) => logger.error(m, f ?? {}),
  };
};
