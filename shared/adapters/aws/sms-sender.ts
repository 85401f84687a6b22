import { SendTextMessageCommand, type PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import type { OutgoingSms, SmsSender } from "#ports/sms-sender.ts";

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
    const output = await this.client.send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: sms.to,
        MessageBody: sms.body,
        MessageType: "TRANSACTIONAL",
        OriginationIdentity: this.options.originationIdentity,
        ConfigurationSetName: this.options.configurationSetName,
      }),
    );
    if (!output.MessageId) throw new Error("End User Messaging accepted the SMS but returned no MessageId");
    return { messageId: output.MessageId };
  }
}
