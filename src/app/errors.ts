/**
 * A fault talking to the outside world (SP-API down, SFTP refused, disk full). `code` is stable,
 * `retryable` says whether the next pass may succeed by itself. Messages never carry PII or secrets.
 */
export class IntegrationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "IntegrationError";
  }
}

/**
 * What `OrderStore.transaction` throws when one of the store's methods failed inside it and `work`
 * caught that error and went on: the transaction keeps nothing (see the port). `cause` is the
 * method's error.
 */
export function storeWriteFailed(cause: unknown): IntegrationError {
  const error = new IntegrationError(
    "STORE_WRITE_FAILED",
    `a store write failed in this transaction (${cause instanceof Error ? cause.message : String(cause)}) and the error was caught; nothing of the transaction is kept`,
    false,
  );
  error.cause = cause;
  return error;
}

/** A configuration or usage problem: exit status 2, nothing done. The message names the fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
