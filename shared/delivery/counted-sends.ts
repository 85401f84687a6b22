import type { Mailer } from "#ports/mailer.ts";
import type { Metrics } from "#ports/metrics.ts";
import type { SmsSender } from "#ports/sms-sender.ts";

/**
 * The mailer and SMS sender that count MessagesSent: each message the provider accepted,
 * by channel. Both composition roots wrap their adapters with these, so every use case's
 * sends are counted without a line of its own.
 */
export const countedMailer = (mailer: Mailer, metrics: Metrics): Mailer => ({
  async send(email) {
    const accepted = await mailer.send(email);
    metrics.count("MessagesSent", { channel: "email" });
    return accepted;
  },
});

export const countedSmsSender = (sms: SmsSender, metrics: Metrics): SmsSender => ({
  async send(message) {
    const accepted = await sms.send(message);
    metrics.count("MessagesSent", { channel: "sms" });
    return accepted;
  },
});
