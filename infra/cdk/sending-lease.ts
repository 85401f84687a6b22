import { Duration } from "aws-cdk-lib";
import type { PortNeed } from "#functions/port-needs.ts";

/**
 * How long a "sending" claim (shared/delivery/deliver-once.ts) holds on AWS, given to each
 * function that sends as this variable, in whole seconds. docs/failure-windows.md has the
 * arithmetic; in short:
 *
 * - the lease outlasts the function's timeout, so no live invocation's claim is ever taken
 *   (an invocation cannot outlive its timeout, and it claims after it starts);
 * - lease + timeout fits inside Lambda's two asynchronous retry waits, so when an invocation
 *   dies holding a claim, the third attempt at the latest finds the lease expired and sends.
 */
export const sendingLeaseVariable = "CONVENE_SENDING_LEASE_SECONDS";

/** Beyond the timeout: clock differences between Lambda hosts, and Lambda's own timing. */
export const sendingLeaseMargin = Duration.seconds(15);

/**
 * Lambda's waits before the two retries of a failed asynchronous invocation: "a one-minute
 * wait between the first two attempts, and two minutes between the second and third" (AWS
 * Lambda Developer Guide, asynchronous invocation error handling).
 */
export const asyncRetryWaits = [Duration.minutes(1), Duration.minutes(2)] as const;

/** The time the retry waits span, first attempt to third: 180 s. */
export const asyncRetryWindowSeconds = asyncRetryWaits.reduce((sum, wait) => sum + wait.toSeconds(), 0);

/** The longest timeout a sending function may have: lease (timeout + margin) + timeout ≤ the waits. */
export const maxSendingTimeoutSeconds = Math.floor(
  (asyncRetryWindowSeconds - sendingLeaseMargin.toSeconds()) / 2,
);

/** A function given the mailer or SMS sends messages, each through a claim. */
export const sendsMessages = (needs: readonly PortNeed[]): boolean =>
  needs.includes("mailer") || needs.includes("sms");

/** The sending lease of a function with this timeout; a timeout too long for the retry waits is refused. */
export const sendingLease = (functionName: string, timeout: Duration): Duration => {
  if (timeout.toSeconds() > maxSendingTimeoutSeconds)
    throw new Error(
      `${functionName} sends messages, so its timeout (${timeout.toSeconds()} s) may be at most ${maxSendingTimeoutSeconds} s: its sending lease (timeout + ${sendingLeaseMargin.toSeconds()} s) plus the timeout must fit inside Lambda's retry waits (${asyncRetryWindowSeconds} s); see docs/failure-windows.md`,
    );
  return timeout.plus(sendingLeaseMargin);
};
