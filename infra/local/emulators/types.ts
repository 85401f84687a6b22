/** A local service (emulator or sink) that the local runtime started and therefore owns. */
export interface RunningService {
  /** Base URL to give an AWS SDK client as `endpoint`, e.g. `http://127.0.0.1:8000`. */
  endpoint: string;
  port: number;
  /** Stops the service; resolves once it no longer runs. Safe to call more than once. */
  stop(): Promise<void>;
}

/** A RunningService backed by a child process (DynamoDB Local, the SES emulator). */
export interface ChildProcessService extends RunningService {
  /** Operating-system process id of the child (the `java` or `node` process itself). */
  readonly pid: number;
  /** Milliseconds from spawning the child until it answered its first real request. */
  readonly startupMs: number;
}
