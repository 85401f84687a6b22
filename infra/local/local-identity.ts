import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, SignJWT } from "jose";
import type { Role } from "#access/principal.ts";
import { createTokenVerifier, type VerifyToken } from "#access/token-verifier.ts";
import { identityKeyFile } from "./state-files.ts";

type SigningKey = Awaited<ReturnType<typeof importJWK>>;

export const localIssuer = "convene-local";
export const localAudience = "convene";

export interface Identity {
  subject: string;
  role: Role;
  organisationId?: string;
  groupIds?: string[];
}

/**
 * Cognito's part on one machine: an ES256 key pair (kept in the state folder so tokens
 * survive a restart) that mints ID tokens with the same claims Cognito would carry.
 */
export class LocalIdentityProvider {
  private constructor(
    private readonly privateKey: SigningKey,
    readonly verify: VerifyToken,
  ) {}

  static async create(keyFile?: string): Promise<LocalIdentityProvider> {
    const stored = keyFile ? identityKeyFile(keyFile) : undefined;
    let jwk = await stored?.load();
    if (!jwk) {
      const { privateKey } = await generateKeyPair("ES256", { extractable: true });
      jwk = { ...(await exportJWK(privateKey)), alg: "ES256", kid: "local-1" };
      await stored?.save(jwk);
    }
    const privateKey = await importJWK(jwk, "ES256");
    const { d: _private, ...publicJwk } = jwk;
    const keys = createLocalJWKSet({ keys: [{ ...publicJwk, use: "sig" }] });
    return new LocalIdentityProvider(
      privateKey,
      createTokenVerifier({ keys, issuer: localIssuer, audience: localAudience }),
    );
  }

  mint(identity: Identity, ttlSeconds = 12 * 3600): Promise<string> {
    return new SignJWT({
      "cognito:groups": [identity.role],
      ...(identity.organisationId ? { "custom:organisation": identity.organisationId } : {}),
      "custom:groups": (identity.groupIds ?? []).join(","),
      token_use: "id",
    })
      .setProtectedHeader({ alg: "ES256", kid: "local-1" })
      .setSubject(identity.subject)
      .setIssuer(localIssuer)
      .setAudience(localAudience)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.privateKey);
  }
}
