import { createHash, randomBytes } from 'node:crypto';

/**
 * The identity provider's side of OAuth 2.0 (RFC 6749) for the Veeva Vault OAuth2 credential: one
 * registered client, authorization codes bound to a PKCE challenge (RFC 7636, S256 or plain), access
 * tokens that expire, refresh tokens, and the client credentials grant. Every token stands for the
 * one user the sandbox's OAuth/OIDC profile maps it to (SANDBOX_USERS.oauth). Vault's own part, the
 * exchange of a token for a session, is handlers/oauthSession.ts.
 */

/** The client registered at the sandbox's identity provider. */
export const SANDBOX_OAUTH_CLIENT = { clientId: 'sandbox-n8n-client', clientSecret: 'sandbox-example-client-secret' } as const;

export interface TokenAnswer {
	access_token: string;
	token_type: 'Bearer';
	expires_in: number;
	refresh_token?: string;
	scope?: string;
}

/** An OAuth error answer (RFC 6749, 5.2): HTTP 400 or 401 with `error`. */
export interface TokenRefusal {
	status: 400 | 401;
	error: string;
	error_description: string;
}

interface CodeGrant {
	redirectUri: string;
	challenge?: string;
	method?: string;
	scope: string;
}

/** What happened at the token endpoint, for tests: grants in order, tokens issued, refusals. */
export interface AuthorizationServerSummary {
	grants: Array<{ grantType: string; outcome: 'issued' | string }>;
	issuedAccessTokens: string[];
}

export class AuthorizationServer {
	private codes = new Map<string, CodeGrant>();
	private accessTokens = new Map<string, { expiresAt: number }>();
	private refreshTokens = new Map<string, { scope: string }>();
	private summaryData: AuthorizationServerSummary = { grants: [], issuedAccessTokens: [] };

	/** An authorization code for the redirect (the sandbox's user approves at once). */
	authorize(redirectUri: string, scope: string, challenge?: string, method?: string): string {
		const code = `idp-code-${randomBytes(12).toString('hex')}`;
		this.codes.set(code, { redirectUri, challenge, method, scope });
		return code;
	}

	/** The token endpoint for one already-authenticated client: a token answer or an OAuth error. */
	token(form: URLSearchParams, now: number, lifetimeS: number, refreshFails: boolean): TokenAnswer | TokenRefusal {
		const grantType = form.get('grant_type') ?? '';
		const answer = this.grant(grantType, form, now, lifetimeS, refreshFails);
		this.summaryData.grants.push({ grantType, outcome: 'error' in answer ? answer.error : 'issued' });
		return answer;
	}

	/** Whether Vault may accept this token now: issued here and not expired. */
	isLive(token: string | undefined, now: number): boolean {
		const entry = token === undefined ? undefined : this.accessTokens.get(token);
		return entry !== undefined && now < entry.expiresAt;
	}

	/** Every access token issued so far expires now (refresh tokens stay good): as when an hour has passed. */
	expireAll(now: number): void {
		for (const entry of this.accessTokens.values()) entry.expiresAt = Math.min(entry.expiresAt, now);
	}

	summary(): AuthorizationServerSummary {
		return { grants: [...this.summaryData.grants], issuedAccessTokens: [...this.summaryData.issuedAccessTokens] };
	}

	clear(): void {
		this.codes.clear();
		this.accessTokens.clear();
		this.refreshTokens.clear();
		this.summaryData = { grants: [], issuedAccessTokens: [] };
	}

	private grant(grantType: string, form: URLSearchParams, now: number, lifetimeS: number, refreshFails: boolean): TokenAnswer | TokenRefusal {
		switch (grantType) {
			case 'authorization_code':
				return this.codeGrant(form, now, lifetimeS);
			case 'refresh_token': {
				const refresh = this.refreshTokens.get(form.get('refresh_token') ?? '');
				if (!refresh || refreshFails) return refusal('invalid_grant', 'The refresh token is expired, revoked or unknown.');
				return this.issue(now, lifetimeS, refresh.scope, form.get('refresh_token') ?? undefined);
			}
			case 'client_credentials':
				return this.issue(now, lifetimeS, form.get('scope') ?? '', undefined, false);
			default:
				return refusal('unsupported_grant_type', `Grant type "${grantType}" is not supported.`);
		}
	}

	private codeGrant(form: URLSearchParams, now: number, lifetimeS: number): TokenAnswer | TokenRefusal {
		const code = form.get('code') ?? '';
		const grant = this.codes.get(code);
		this.codes.delete(code);
		if (!grant) return refusal('invalid_grant', 'The authorization code is invalid or was already used.');
		if (form.get('redirect_uri') !== grant.redirectUri) return refusal('invalid_grant', 'redirect_uri does not match the authorization request.');
		if (grant.challenge !== undefined && !verifierMatches(form.get('code_verifier') ?? '', grant.challenge, grant.method)) {
			return refusal('invalid_grant', 'PKCE verification failed: code_verifier does not match code_challenge.');
		}
		return this.issue(now, lifetimeS, grant.scope);
	}

	private issue(now: number, lifetimeS: number, scope: string, keepRefresh?: string, withRefresh = true): TokenAnswer {
		const accessToken = `idp-at-${randomBytes(24).toString('hex')}`;
		this.accessTokens.set(accessToken, { expiresAt: now + lifetimeS * 1000 });
		this.summaryData.issuedAccessTokens.push(accessToken);
		const answer: TokenAnswer = { access_token: accessToken, token_type: 'Bearer', expires_in: lifetimeS, ...(scope ? { scope } : {}) };
		if (!withRefresh) return answer;
		const refreshToken = keepRefresh ?? `idp-rt-${randomBytes(24).toString('hex')}`;
		this.refreshTokens.set(refreshToken, { scope });
		return { ...answer, refresh_token: refreshToken };
	}
}

function refusal(error: string, description: string): TokenRefusal {
	return { status: 400, error, error_description: description };
}

/** RFC 7636, 4.6: S256 is BASE64URL(SHA256(verifier)); plain is the verifier itself. */
function verifierMatches(verifier: string, challenge: string, method: string | undefined): boolean {
	if (method === 'S256') return createHash('sha256').update(verifier).digest('base64url') === challenge;
	return verifier === challenge;
}
