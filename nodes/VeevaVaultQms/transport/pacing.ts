import { sleep } from 'n8n-workflow';

/**
 * Spaces calls by Vault's burst headers. Past its burst limit Vault does not refuse; it slows
 * every answer until the 5-minute window resets. Waiting here first keeps an n8n run from
 * adding to that pile, and leaves headroom for other integrations on the same Vault.
 */
export class Pacer {
	/** total time spent waiting for pacing, for the output's diagnostics */
	waitedMs = 0;
	private notBefore = 0;

	constructor(
		private readonly reserveShare = 0.1,
		private readonly lowBudgetGapMs = 500,
	) {}

	async beforeRequest(): Promise<void> {
		const wait = this.notBefore - Date.now();
		if (wait > 0) {
			this.waitedMs += wait;
			await sleep(wait);
		}
	}

	afterResponse(headers: Record<string, unknown>): void {
		const delay = numberHeader(headers, 'x-vaultapi-responsedelay');
		const limit = numberHeader(headers, 'x-vaultapi-burstlimit');
		const remaining = numberHeader(headers, 'x-vaultapi-burstlimitremaining');
		let gap = 0;
		if (delay !== undefined && delay > 0) gap = delay;
		else if (remaining !== undefined && limit !== undefined && remaining <= limit * this.reserveShare) {
			gap = this.lowBudgetGapMs;
		}
		this.notBefore = gap > 0 ? Date.now() + gap : 0;
	}
}

function numberHeader(headers: Record<string, unknown>, name: string): number | undefined {
	const raw = headers[name] ?? headers[name.toLowerCase()];
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return raw === undefined || Number.isNaN(value) ? undefined : value;
}
