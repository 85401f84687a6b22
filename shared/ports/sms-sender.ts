import type { Recipient } from "#domain/recipient.ts";

export interface OutgoingSms {
  to: string; // E.164
  body: string;
  /**
   * The member and group a text is about: sent with it (End User Messaging's message context)
   * and handed back with its delivery events, so a failure finds its member without the number.
   */
  recipient?: Recipient;
}

/** Sends one SMS. The adapter is AWS End User Messaging SMS; locally it points at the SMS sink. */
export interface SmsSender {
  send(sms: OutgoingSms): Promise<{ messageId: string }>;
}

/**
 * The provider refused the text because the number opted out with it (AWS's managed opt-out
 * list, after the member texted STOP): nothing can be sent to it until they text START.
 */
export class SmsRecipientOptedOutError extends Error {
  override readonly name = "SmsRecipientOptedOutError";
  constructor() {
    super("the destination phone number opted out with the SMS provider");
  }
}
