import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import type { InboundMail, ReplyOutcome } from "#functions/receive-reply/handler.ts";
import type { Log } from "#ports/logger.ts";

export interface InboundSmtpOptions {
  host?: string;
  port: number;
  /** Mail is accepted for this domain only (the reply domain). */
  domain: string;
  /** Larger messages are refused at the SMTP level (SIZE), before they are read. */
  maxBytes?: number;
  receive: (mail: InboundMail) => Promise<ReplyOutcome>;
  log: Log;
}

const defaultMaxBytes = 10 * 1024 * 1024;

/**
 * SES receiving's part on one machine: an SMTP server on 127.0.0.1 that accepts mail for the
 * reply domain and hands the raw MIME to the same handler as the SES receipt rule on AWS.
 * The handler finishes before the server answers 250; if it fails, the answer is 451 so the
 * sending server tries again and nothing is lost.
 */
export const startInboundSmtp = async (options: InboundSmtpOptions) => {
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: maxBytes,
    banner: "Convene local inbound mail",
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const domain = address.address.split("@").pop()?.toLowerCase();
      if (domain !== options.domain.toLowerCase()) {
        const error = Object.assign(new Error(`mail for ${domain ?? "?"} is not accepted here`), {
          responseCode: 550,
        });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(Object.assign(new Error("message exceeds the size limit"), { responseCode: 552 }));
        }
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        options
          .receive({ raw: Buffer.concat(chunks), recipients })
          .then(() => callback())
          .catch((error: unknown) => {
            options.log.error("inbound mail failed; the sender will retry", {
              error: error instanceof Error ? error.name : "unknown",
            });
            callback(Object.assign(new Error("temporary failure, try again later"), { responseCode: 451 }));
          });
      });
    },
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    port,
    endpoint: `smtp://${host}:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
