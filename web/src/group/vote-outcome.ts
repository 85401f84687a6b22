import type { Vote } from "../api/resources.ts";

/** A closed vote's outcome in words, e.g. "Passed", "Tuesday evenings chosen", "No quorum". */
export const describeOutcome = (vote: Vote): string => {
  const outcome = vote.result?.outcome;
  if (!outcome) return vote.status === "cancelled" ? "Cancelled" : "Not closed yet";
  const label = (id?: string) => vote.options.find((o) => o.id === id)?.label ?? "an option";
  switch (outcome.kind) {
    case "passed":
      return "Passed";
    case "rejected":
      return "Rejected";
    case "elected":
    case "chosen":
      return `${label(outcome.optionId)} ${outcome.kind}`;
    case "tie":
      return `A tie between ${(outcome.optionIds ?? []).map(label).join(" and ")}`;
    case "no-majority":
      return "No majority";
    case "no-quorum":
      return "No quorum";
    case "no-votes":
      return "No votes";
    default:
      return outcome.kind;
  }
};
