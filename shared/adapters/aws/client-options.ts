/**
 * Bounds on one HTTP request of an AWS SDK client (NodeHttpHandler's options): a connection
 * that is not made, or a request whose answer does not begin, fails with a TimeoutError after
 * this long, which the SDK retries like any other transient failure. Without them a request
 * to a service that accepted the connection and never answered would hold the invocation
 * until Lambda's own timeout, and a fan-out of sends with it. The clock starts when the
 * request is handed to the socket pool, so time spent queued for a socket counts too.
 */
export const requestTimeouts = (requestTimeoutMs: number) =>
  ({
    connectionTimeout: 2_000,
    requestTimeout: requestTimeoutMs,
    // Without it, recent releases of the handler only log a breach; older ones (the Lambda
    // runtime's SDK may be one) read requestTimeout as the socket's idle time, which fails too.
    throwOnRequestTimeout: true,
  }) as const;

/**
 * What every client of the Lambda functions is created with. An in-region call answers in
 * milliseconds (a transaction, SendEmail, CreateSchedule, a secret, a 10 MB mail's headers),
 * so 5 s is a request that will not answer; even the API (10 s timeout) can try it again.
 */
export const awsClientOptions = { requestHandler: requestTimeouts(5_000) } as const;

/**
 * What the local runtime's clients are created with: the emulators share a small machine and,
 * under a benchmark's load, a request may wait for a socket and then for a busy Java process
 * for seconds; a request that has not answered in 30 s will not.
 */
export const localClientOptions = { requestHandler: requestTimeouts(30_000) } as const;
