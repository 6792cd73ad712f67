import { IntegrationError } from "../../app/errors.js";
import type { LwaCredentials } from "./lwa.token-source.js";

/** The environment variables holding the app's LWA secrets (never the configuration file, never logged). */
export const CREDENTIAL_VARIABLES = [
  "SPAPI_CLIENT_ID",
  "SPAPI_CLIENT_SECRET",
  "SPAPI_REFRESH_TOKEN",
] as const;

/** The LWA credentials from the environment; throws SPAPI_CREDENTIALS_MISSING naming the unset variables. */
export function credentialsFrom(env: Readonly<Record<string, string | undefined>>): LwaCredentials {
  const missing = CREDENTIAL_VARIABLES.filter((name) => !env[name]?.trim());
  if (missing.length > 0)
    throw new IntegrationError(
      "SPAPI_CREDENTIALS_MISSING",
      `the sp-api marketplace needs ${missing.join(", ")} in the environment (the LWA app's client id, client secret and the seller's refresh token)`,
      false,
    );
  return {
    clientId: String(env.SPAPI_CLIENT_ID).trim(),
    clientSecret: String(env.SPAPI_CLIENT_SECRET).trim(),
    refreshToken: String(env.SPAPI_REFRESH_TOKEN).trim(),
  };
}
