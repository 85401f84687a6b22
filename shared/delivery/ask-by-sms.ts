import type { Member } from "#domain/member.ts";
import type { SmsQuestion } from "#domain/sms-question.ts";
import type { Ports } from "#ports/ports.ts";
import type { OutgoingSms } from "#ports/sms-sender.ts";

/**
 * Sends a text that asks a question and keeps the question under the id the provider gave the
 * text, so the member's answer finds it (answer-sms). Used as deliverOnce's send: keeping it is
 * tried a few times (it is idempotent), since a failure would give the claim back and the text
 * would go again.
 */
export const askBySms = async (
  ports: Pick<Ports, "sms" | "store" | "clock">,
  member: Member,
  sms: OutgoingSms,
  about: SmsQuestion["about"],
): Promise<void> => {
  const { messageId } = await ports.sms.send(sms);
  const question = {
    organisationId: member.organisationId,
    memberId: member.id,
    messageId,
    askedAt: ports.clock.now().toISOString(),
    about,
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await ports.store.recordSmsQuestion(question);
    } catch (error) {
      if (attempt >= 4) throw error;
      await new Promise((later) => setTimeout(later, 50 * 2 ** attempt));
    }
  }
};
