import { randomBytes } from "node:crypto";
import { EXPIRED_DETAILS, type FakeReply, REVOKED_DETAILS, unauthorized } from "./replies.js";

export interface LwaCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

function oauthError(status: number, error: string, description: string): FakeReply {
  return { status, body: { error_description: description, error } };
}

/** The token request body: Amazon documents a form body, the package sends JSON (sp-api.md section 5). */
function parseBody(contentType: string, body: string): Record<string, unknown> | undefined {
  try {
    if (contentType.startsWith("application/json")) {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
    }
    if (contentType.startsWith("application/x-www-form-urlencoded")) {
      return Object.fromEntries(new URLSearchParams(body));
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Login with Amazon: issues a distinct access token per grant and remembers which are valid.
 * Expiry follows the fake's clock.
 */
export class LwaAuthority {
  private readonly tokens = new Map<string, { expiresAt: number; revoked: boolean }>();

  constructor(
    private readonly credentials: LwaCredentials,
    private readonly expiresInSeconds: number,
    private readonly nowMs: () => number,
  ) {}

  /** POST /auth/o2/token. */
  grant(contentType: string, rawBody: string): FakeReply {
    const body = parseBody(contentType, rawBody);
    if (!body)
      return oauthError(400, "invalid_request", "The request body is malformed or of an unsupported type");
    const field = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : undefined);
    if (field("client_id") === undefined)
      return oauthError(400, "invalid_request", "The request is missing a required parameter : client_id");
    if (
      field("client_id") !== this.credentials.clientId ||
      field("client_secret") !== this.credentials.clientSecret
    )
      return oauthError(401, "invalid_client", "Client authentication failed");
    if (field("grant_type") !== "refresh_token")
      return oauthError(400, "unsupported_grant_type", "The authorization grant type is not supported");
    if (field("refresh_token") === undefined)
      return oauthError(
        400,
        "invalid_request",
        "The request is missing a required parameter : refresh_token",
      );
    if (field("refresh_token") !== this.credentials.refreshToken)
      return oauthError(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token");
    const token = `Atza|${randomBytes(24).toString("base64url")}`;
    this.tokens.set(token, { expiresAt: this.nowMs() + this.expiresInSeconds * 1000, revoked: false });
    return {
      status: 200,
      body: { access_token: token, token_type: "bearer", expires_in: this.expiresInSeconds },
    };
  }

  /** The 403 for an API request whose x-amz-access-token is missing, unknown, revoked or expired. */
  refuse(token: string | undefined): FakeReply | undefined {
    if (token === undefined || token === "") return unauthorized("");
    const known = this.tokens.get(token);
    if (!known || known.revoked) return unauthorized(REVOKED_DETAILS);
    if (this.nowMs() >= known.expiresAt) return unauthorized(EXPIRED_DETAILS);
    return undefined;
  }

  /** Every token issued so far, oldest first. */
  issued(): string[] {
    return [...this.tokens.keys()];
  }

  /** Makes every token issued so far expired (a real one-hour expiry without waiting). */
  expireAll(): void {
    for (const t of this.tokens.values()) t.expiresAt = Math.min(t.expiresAt, this.nowMs());
  }

  revokeAll(): void {
    for (const t of this.tokens.values()) t.revoked = true;
  }
}
