export interface OutgoingSms {
  to: string; // E.164
  body: string;
}

/** Sends one SMS. The adapter is AWS End User Messaging SMS; locally it points at the SMS sink. */
export interface SmsSender {
  send(sms: OutgoingSms): Promise<{ messageId: string }>;
}
