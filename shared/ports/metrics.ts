import type { RsvpAnswer, RsvpSource } from "#domain/rsvp.ts";

/**
 * The business figures an operator watches, each a count. Dimensions are few and fixed (a
 * channel, a refusal's reason, a route target): never an id or anything about a member, so
 * a metric can neither identify anyone nor explode CloudWatch's cardinality.
 */
export interface MetricDimensions {
  /** How a message went out. */
  MessagesSent: { channel: "email" | "sms" };
  /** A vote closed and its ballots were tallied. */
  BallotsCounted: Record<string, never>;
  /** A member's answer to "are you coming?" recorded (first, or replacing an earlier one). */
  RsvpAnswers: { answer: RsvpAnswer; source: RsvpSource };
  /** A reply that changed nothing, by the reply reader's reason. */
  RepliesRefused: { reason: string };
  /** An event that exhausted its attempts, by the route target that could not handle it. */
  DeadLetters: { target: string };
}

export type BusinessMetric = keyof MetricDimensions;

export interface Metrics {
  /** Adds `value` (default 1) to the metric under the given dimensions. */
  count<M extends BusinessMetric>(metric: M, dimensions: MetricDimensions[M], value?: number): void;
}
