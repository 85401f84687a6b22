import { SendTextMessageCommand, type PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { recipientTags, type Recipient } from "#domain/recipient.ts";
import { SmsRecipientOptedOutError, type OutgoingSms, type SmsSender } from "#ports/sms-sender.ts";

export interface EndUserMessagingSmsOptions {
  /** The phone number, sender id or pool to send from; the account default when absent. */
  originationIdentity?: string;
  /** The configuration set whose delivery events are recorded. */
  configurationSetName?: string;
}

/**
 * Sends reminders through AWS End User Messaging SMS as transactional messages (routed for
 * delivery, not subject to marketing rules). Nothing about the message is logged: numbers
 * and bodies are personal data.
 */
export class EndUserMessagingSmsSender implements SmsSender {
  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    private readonly options: EndUserMessagingSmsOptions = {},
  ) {}

  async send(sms: OutgoingSms): Promise<{ messageId: string }> {
    const output = await this.client
      .send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: sms.to,
          MessageBody: sms.body,
          MessageType: "TRANSACTIONAL",
          OriginationIdentity: this.options.originationIdentity,
          ConfigurationSetName: this.options.configurationSetName,
          Context: sms.recipient && smsContext(sms.recipient),
        }),
      )
      .catch((error: unknown) => {
        throw isOptedOut(error) ? new SmsRecipientOptedOutError() : error;
      });
    if (!output.MessageId) throw new Error("End User Messaging accepted the SMS but returned no MessageId");
    return { messageId: output.MessageId };
  }
}

/** How the service says the number is on the opt-out list (it texted STOP to us). */
const isOptedOut = (error: unknown): boolean =>
  error instanceof Error &&
  error.name === "ConflictException" &&
  (error as { Reason?: string }).Reason === "DESTINATION_PHONE_NUMBER_OPTED_OUT";

/** The message context a text's recipient travels as; its delivery events carry it back. */
export const smsContext = (recipient: Recipient): Record<string, string> => ({
  [recipientTags.organisationId]: recipient.organisationId,
  [recipientTags.groupId]: recipient.groupId,
  [recipientTags.memberId]: recipient.memberId,
});
