import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Logger, type LogItem } from "@aws-lambda-powertools/logger";
import type { Log } from "#ports/logger.ts";

/** Powertools' structured logger, the same on Lambda and locally; level from POWERTOOLS_LOG_LEVEL. */
export const powertoolsLog = (serviceName = "convene"): Log => logOver(new Logger({ serviceName }));

const logOver = (logger: Logger): Log => ({
  debug: (m, f) => logger.debug(m, f ?? {}),
  info: (m, f) => logger.info(m, f ?? {}),
  warn: (m, f) => logger.warn(m, f ?? {}),
  error: (m, f) => logger.error(m, f ?? {}),
});

/** Powertools' logger, its JSON lines handed to `write` instead of the console. */
class LineLogger extends Logger {
  // Set after super(): a line printed while Powertools initialises is dropped, not a crash.
  protected write?: (line: string) => void;

  constructor(serviceName: string, write: (line: string) => void) {
    super({ serviceName });
    this.write = write;
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    this.write?.(JSON.stringify(log.getAttributes(), this.getJsonReplacer()));
  }
}

export interface FileLog extends Log {
  /** Where the structured lines go. */
  path: string;
}

export interface FileLogOptions {
  /** The structured log, appended to (created with its folder). */
  path: string;
  serviceName?: string;
  /** Where a person reads what happened, a line at a time (default: stdout). */
  say?: (line: string) => void;
  /** Where a person reads warnings and errors, a line each (default: stderr). */
  alert?: (line: string) => void;
  /** How long happenings are gathered into one summary line (ms). */
  summaryEveryMs?: number;
}

/**
 * The local platform's log (`npm start`): every structured line, as Powertools writes it on
 * Lambda, is appended to a file, so the terminal keeps what a person reads. The terminal gets
 * each warning and error as one line, and at most every few seconds one line saying what
 * happened meanwhile (the info messages, counted, the rarest first: what runs for every event
 * comes last). Each line is written synchronously: a crash or a kill loses none, and a test
 * reads what was logged as soon as it was.
 */
export const fileLog = ({
  path,
  serviceName = "convene",
  say = (line) => process.stdout.write(`${line}\n`),
  alert = (line) => process.stderr.write(`${line}\n`),
  summaryEveryMs = 10_000,
}: FileLogOptions): FileLog => {
  mkdirSync(dirname(path), { recursive: true });
  const structured = logOver(new LineLogger(serviceName, (line) => appendFileSync(path, `${line}\n`)));
  const happenings = new Map<string, number>();
  let summary: NodeJS.Timeout | undefined;
  const summarise = () => {
    summary = undefined;
    say(`${clockTime()}  ${summaryOf(happenings)}  (details: ${path})`);
    happenings.clear();
  };
  const noted = (message: string) => {
    happenings.set(message, (happenings.get(message) ?? 0) + 1);
    // Unref'd: a pending summary never keeps the process alive.
    summary ??= setTimeout(summarise, summaryEveryMs).unref();
  };
  return {
    path,
    debug: (message, fields) => structured.debug(message, fields),
    info: (message, fields) => {
      structured.info(message, fields);
      noted(message);
    },
    warn: (message, fields) => {
      structured.warn(message, fields);
      alert(humanLine("WARN ", message, fields));
    },
    error: (message, fields) => {
      structured.error(message, fields);
      alert(humanLine("ERROR", message, fields));
    },
  };
};

const clockTime = () => new Date().toTimeString().slice(0, 8);

const lineLimit = 160;

/** "vote closed, reminders sent ×3, …": the rarest first, within one terminal line. */
const summaryOf = (happenings: ReadonlyMap<string, number>): string => {
  const kinds = [...happenings].sort((a, b) => a[1] - b[1]);
  const parts: string[] = [];
  let length = 0;
  for (const [message, count] of kinds) {
    const part = count > 1 ? `${message} ×${count}` : message;
    if (parts.length > 0 && length + part.length > lineLimit - 40) break;
    parts.push(part);
    length += part.length + 2;
  }
  const more = kinds.length - parts.length;
  return `${parts.join(", ")}${more > 0 ? `, and ${more} more` : ""}`;
};

/** One line for a person: the time, the level, the message and its fields (ids and counts). */
const humanLine = (level: string, message: string, fields: Record<string, unknown> = {}): string => {
  const shown = Object.entries(fields).map(([key, value]) => `${key}=${fieldText(value)}`);
  const line = `${clockTime()} ${level} ${message}${shown.length > 0 ? `  ${shown.join(" ")}` : ""}`;
  const flat = line.replace(/\s*\n\s*/g, " ");
  return flat.length > lineLimit * 2 ? `${flat.slice(0, lineLimit * 2 - 1)}…` : flat;
};

const fieldText = (value: unknown): string => {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === "string") return /\s/.test(value) ? JSON.stringify(value) : value;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
};
