import type { EventHandler } from "#bus/bus-event.ts";
import { answerSms, type AnswerSmsPorts } from "#use-cases/sms/answer-sms.ts";

/**
 * A member texted something that is no keyword → it answers what they were asked by text (an
 * RSVP, a call for volunteers, an offer), or asks them which, or reaches the group's
 * coordinators unread. Logs what became of it: never the number or the words.
 */
export const createAnswerSms =
  (ports: AnswerSmsPorts): EventHandler =>
  async (event) => {
    if (event.type !== "SmsReceived") return;
    const outcome = await answerSms(ports, event);
    ports.log.info("sms answer handled", { outcome });
  };
