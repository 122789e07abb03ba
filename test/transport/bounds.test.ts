import { readEnvelope } from '../../nodes/VeevaVaultQms/transport/answer';
import { boundedOptions, CAPS } from '../../nodes/VeevaVaultQms/transport/clientOptions';
import { MAX_RESPONSE_DELAY_MS, Pacer } from '../../nodes/VeevaVaultQms/transport/pacing';
import { containsQueries, lookupValueProblem, MAX_VQL_LENGTH, VALUES_PER_QUERY, vqlString } from '../../nodes/VeevaVaultQms/read/vqlText';

describe('caps: nothing a user types or a broken Vault answers stalls a run without limit', () => {
	it('bounds the request timeout, attempts and retry wait, and falls back to defaults on nonsense', () => {
		expect(boundedOptions({ timeoutMs: 1e12, maxAttempts: 500, retryWaitMs: 1e9 })).toEqual({
			timeoutMs: CAPS.timeoutMs,
			maxAttempts: CAPS.maxAttempts,
			retryWaitMs: CAPS.retryWaitMs,
		});
		expect(boundedOptions({ timeoutMs: Number.NaN, maxAttempts: 0, retryWaitMs: -5 })).toEqual({ timeoutMs: 300_000, maxAttempts: 1, retryWaitMs: 0 });
	});

	it("honours X-VaultAPI-ResponseDelay only up to the cap, and Vault's usual delay as it is", () => {
		const pacer = new Pacer();
		expect(pacer.afterResponse({ 'x-vaultapi-responsedelay': '3600000' })).toBe(MAX_RESPONSE_DELAY_MS);
		expect(pacer.afterResponse({ 'x-vaultapi-responsedelay': '500' })).toBe(500);
		expect(pacer.afterResponse({ 'x-vaultapi-burstlimit': '2000', 'x-vaultapi-burstlimitremaining': '1500' })).toBe(0);
	});
});

describe('answers are read by their body, not their label', () => {
	it('reads JSON labelled text/csv as JSON, a CSV answer as CSV, and Vault errors in either', () => {
		expect(readEnvelope(200, 'text/csv;charset=UTF-8', '{"responseStatus":"SUCCESS","jobId":"243001"}', 'h')).toEqual({ responseStatus: 'SUCCESS', jobId: '243001' });
		expect(readEnvelope(200, 'application/json', 'responseStatus,jobId\r\nSUCCESS,7\r\n', 'h')).toMatchObject({ responseStatus: 'SUCCESS', jobId: '7' });
		expect(readEnvelope(200, 'text/csv', 'responseStatus,errors.type,errors.message\r\nFAILURE,INVALID_SESSION_ID,Invalid or expired session ID.\r\n', 'h')).toMatchObject({
			responseStatus: 'FAILURE',
			errors: [{ type: 'INVALID_SESSION_ID', message: 'Invalid or expired session ID.' }],
		});
		expect(() => readEnvelope(200, 'text/csv', '<html><body>Sign in</body></html>', 'h')).toThrow(/web page/);
		expect(() => readEnvelope(200, 'application/json', '{"responseStatus":"SUCC', 'h')).toThrow(/not readable JSON/);
	});
});

describe('VQL built from values', () => {
	it('quotes and escapes every value so none can change the query', () => {
		expect(vqlString("o'brien")).toBe("'o\\'brien'");
		expect(vqlString('a\\b')).toBe("'a\\\\b'");
		expect(vqlString("x') OR (id = '1")).toBe("'x\\') OR (id = \\'1'");
		expect(vqlString('Zoë Ørsted')).toBe("'Zoë Ørsted'");
		expect(lookupValueProblem('line\nbreak')).toMatch(/line break/);
		expect(lookupValueProblem('ok@example.com')).toBeUndefined();
	});

	it('chunks a long list of values into as few queries as the limits allow', () => {
		const values = Array.from({ length: 2_000 }, (_, i) => `person${i}@example.com`);
		const queries = containsQueries(['id', 'email__sys'], 'user__sys', 'email__sys', values);
		expect(queries).toHaveLength(Math.ceil(values.length / VALUES_PER_QUERY));
		expect(queries[0]).toMatch(/^SELECT id, email__sys FROM user__sys WHERE email__sys CONTAINS \('person0@example\.com', /);
		const long = Array.from({ length: 400 }, (_, i) => `${'x'.repeat(300)}${i}`);
		const byLength = containsQueries(['id'], 'user__sys', 'email__sys', long);
		expect(byLength.every((query) => query.length <= MAX_VQL_LENGTH)).toBe(true);
		expect(byLength.length).toBeGreaterThan(1);
		expect(() => containsQueries(['id'], 'user__sys; DROP', 'email__sys', ['a'])).toThrow(/not a Vault field/);
	});
});
