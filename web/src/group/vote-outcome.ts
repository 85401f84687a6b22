import { describeThreshold, type ThresholdRule } from "#domain/vote-threshold.ts";
import type { Vote } from "../api/resources.ts";

/** The API sends the exact rule beside the one-number threshold (functions/api/routes/votes.ts). */
type VoteWithRule = Vote & { thresholdRule?: ThresholdRule };

/**
 * A closed vote's outcome in words, with the rule that decided it where one did, e.g.
 * "Passed (it needed at least two-thirds of the votes)", "Tuesday evenings chosen (…)",
 * "No option won more than half of the votes", "No quorum".
 */
export const describeOutcome = (vote: VoteWithRule): string => {
  const outcome = vote.result?.outcome;
  if (!outcome) return vote.status === "cancelled" ? "Cancelled" : "Not closed yet";
  const label = (id?: string) => vote.options.find((o) => o.id === id)?.label ?? "an option";
  const rule = vote.thresholdRule && describeThreshold(vote.thresholdRule);
  const needed = rule ? ` (it needed ${rule} of the votes)` : "";
  switch (outcome.kind) {
    case "passed":
      return `Passed${needed}`;
    case "rejected":
      return `Rejected${needed}`;
    case "elected":
    case "chosen":
      return `${label(outcome.optionId)} ${outcome.kind}${needed}`;
    case "tie":
      return `A tie between ${(outcome.optionIds ?? []).map(label).join(" and ")}`;
    case "no-majority":
      return rule
        ? `No ${vote.kind === "election" ? "candidate" : "option"} won ${rule} of the votes`
        : "No majority";
    case "no-quorum":
      return "No quorum";
    case "no-votes":
      return "No votes";
    default:
      return outcome.kind;
  }
};
