import { smsQuestionLifetimeDays, type SmsQuestion } from "#domain/sms-question.ts";
import { inboundSmsItem, smsQuestionItem } from "./items.ts";
import { keys } from "./keys.ts";
import { type TableClient } from "./table-client.ts";
import { exists } from "./writes.ts";

const lifetimeSeconds = smsQuestionLifetimeDays * 24 * 3600;

/**
 * The answering side of SMS (DynamoStore delegates here): the questions we texted, kept twice
 * (by the provider's message id, which an answer may name; and under the member, latest last,
 * for their open question), and the words of an inbound text taken for a member.
 */
export class DynamoSmsQuestions {
  constructor(private readonly table: TableClient) {}

  /** Idempotent: a text sent again (a redelivery after a lapsed claim) has a new id, and is kept too. */
  async recordSmsQuestion(question: SmsQuestion): Promise<void> {
    const { organisationId: o, memberId: m, askedAt, messageId } = question;
    const stored = { ...question, expiresAt: Math.floor(Date.parse(askedAt) / 1000) + lifetimeSeconds };
    await this.table.write([
      { put: smsQuestionItem.item(keys.smsQuestion(messageId), stored) },
      { put: smsQuestionItem.item(keys.memberSmsQuestion(o, m, askedAt, messageId), stored) },
    ]);
  }

  getSmsQuestion(messageId: string): Promise<SmsQuestion | undefined> {
    return this.table.get(smsQuestionItem, keys.smsQuestion(messageId)).then((q) => q && withoutExpiry(q));
  }

  /** The member's questions asked at `since` or later, latest first. */
  async listSmsQuestions(organisationId: string, memberId: string, since: Date): Promise<SmsQuestion[]> {
    const { PK, SKPrefix } = keys.memberSmsQuestionsOf(organisationId, memberId);
    const questions = await this.table.queryAll(smsQuestionItem, {
      KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
      ExpressionAttributeValues: {
        ":pk": PK,
        ":from": `${SKPrefix}${since.toISOString()}`,
        ":to": `${SKPrefix}~`,
      },
      ScanIndexForward: false,
    });
    return questions.map(withoutExpiry);
  }

  /** Marks both copies answered; the first answer's time stays. */
  async markSmsQuestionAnswered(question: SmsQuestion, at: Date): Promise<void> {
    const { organisationId: o, memberId: m, askedAt, messageId } = question;
    const mark = (key: { PK: string; SK: string }) => ({
      update: key,
      changes: "SET answeredAt = if_not_exists(answeredAt, :at)",
      values: { ":at": at.toISOString() },
      // Expired (TTL) meanwhile: nothing to mark, and no bare item made.
      ...exists,
      failed: "gone" as const,
    });
    await this.table.write([
      mark(keys.smsQuestion(messageId)),
      mark(keys.memberSmsQuestion(o, m, askedAt, messageId)),
    ]);
  }

  /** The words of an inbound text taken for the member, while they are kept. */
  async inboundSmsText(inboundMessageId: string, organisationId: string, memberId: string) {
    return (await this.table.get(inboundSmsItem, keys.inboundSms(inboundMessageId, organisationId, memberId)))
      ?.text;
  }
}

const withoutExpiry = ({ expiresAt: _, ...question }: SmsQuestion & { expiresAt: number }): SmsQuestion =>
  question;
