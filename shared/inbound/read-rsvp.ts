import { readAnswer, type AnswerPhrases, type ChoiceReading } from "./read-choice.ts";

/** A member's answer to "are you coming?". */
export type RsvpAnswer = "yes" | "no" | "maybe";

/**
 * What people type back to an invite or a reminder, as word sequences. The longest phrase at a
 * place wins, so "not coming" is no and "not sure" is maybe. "ok", "thanks" or a thumbs-up are
 * not answers: they often only acknowledge the message.
 */
const rsvpPhrases: AnswerPhrases<RsvpAnswer> = {
  answers: ["yes", "no", "maybe"],
  phrases: [
    ["yes", "yes"],
    ["yes", "y"],
    ["yes", "yeah"],
    ["yes", "yep"],
    ["yes", "yup"],
    ["yes", "coming"],
    ["yes", "come"],
    ["yes", "attending"],
    ["yes", "be there"],
    ["yes", "see you there"],
    ["yes", "see you then"],
    ["yes", "count me in"],
    ["yes", "accept"],
    ["no", "no"],
    ["no", "n"],
    ["no", "nope"],
    ["no", "nah"],
    ["no", "not coming"],
    ["no", "not attending"],
    ["no", "can't come"],
    ["no", "cannot come"],
    ["no", "can't make it"],
    ["no", "cannot make it"],
    ["no", "won't be there"],
    ["no", "will not be there"],
    ["no", "not be there"],
    ["no", "won't make it"],
    ["no", "apologies"],
    ["no", "decline"],
    ["maybe", "maybe"],
    ["maybe", "perhaps"],
    ["maybe", "possibly"],
    ["maybe", "not sure"],
    ["maybe", "unsure"],
    ["maybe", "might"],
    ["maybe", "might come"],
    ["maybe", "might be there"],
    ["maybe", "tentative"],
    ["maybe", "tentatively"],
  ],
};

/**
 * Whether a reply says the member is coming, read as strictly as a ballot (read-choice.ts): one
 * answer leading the first typed line. A reply that says two ("yes, no, maybe") is ambiguous and
 * is answered with an explanation, never guessed.
 */
export const readRsvp = (typedText: string): ChoiceReading => readAnswer(typedText, rsvpPhrases);
