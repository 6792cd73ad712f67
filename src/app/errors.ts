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

/** A configuration or usage problem: exit status 2, nothing done. The message names the fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
