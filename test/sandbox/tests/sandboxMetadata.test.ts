import { APPLICATION_ROLES, DEMO_USER, DOCUMENT_ROLES, LIFECYCLE_ROLE_RULES, MEMBER_OBJECTS, NAMED_GROUPS, TEAM_OBJECTS } from '../index';
import { API as V, useSandboxSession, type Envelope } from '../../harness/sandboxSession';

const OBJECTS = `${V}/metadata/vobjects`;
const RULES = `${V}/configuration/role_assignment_rule`;
const REFUSED = { responseStatus: 'FAILURE', errors: [{ type: 'INSUFFICIENT_ACCESS', message: 'User does not have sufficient privileges to perform the action.' }] };

describe('sandbox metadata reads: object collection, lifecycle role rules, application roles', () => {
	const vault = useSandboxSession();
	const { post, query } = vault;

	/** A GET with the session (or the Authorization given; null: none), answered as status, headers and JSON body. */
	async function get(path: string, authorization: string | null = vault.session): Promise<{ status: number; headers: Headers; body: Envelope }> {
		const response = await fetch(vault.sandbox.url + path, { headers: authorization === null ? {} : { Authorization: authorization } });
		return { status: response.status, headers: response.headers, body: (await response.json()) as Envelope };
	}

	describe('GET /api/{version}/metadata/vobjects (Retrieve Object Collection)', () => {
		it("answers every object the sandbox knows in Vault's summary shape, in a stable order", async () => {
			const { status, body } = await get(OBJECTS);
			expect(status).toBe(200);
			expect(Object.keys(body)).toEqual(['responseStatus', 'objects']);
			expect(body.responseStatus).toBe('SUCCESS');
			// the page's own entries, keys in the page's order; order only where the pages show one
			expect(body.objects[0]).toEqual({
				url: `${V}/metadata/vobjects/product__v`,
				label: 'Product',
				name: 'product__v',
				label_plural: 'Products',
				prefix: '00P',
				order: 1,
				in_menu: true,
				source: 'standard',
				status: ['active__v'],
				configuration_state: 'STEADY_STATE',
			});
			expect(Object.keys(body.objects[0])).toEqual(['url', 'label', 'name', 'label_plural', 'prefix', 'order', 'in_menu', 'source', 'status', 'configuration_state']);
			const byName = Object.fromEntries(body.objects.map((object: Envelope) => [object.name, object]));
			expect(byName.user__sys).toEqual(expect.objectContaining({ label: 'User', label_plural: 'Users', prefix: 'V0A', order: 87, source: 'system' }));
			expect(byName.country__v).not.toHaveProperty('order');
			expect(byName.application_role__v).toEqual(expect.objectContaining({ label: 'Application Role', label_plural: 'Application Role', prefix: '0AR', source: 'standard' }));
			expect(byName.quality_event__qdm).toEqual(
				expect.objectContaining({ label: 'Quality Event', label_plural: 'Quality Events', prefix: 'OP4', in_menu: true, source: 'application' }),
			);
			expect(byName.risk_event__v).toEqual(expect.objectContaining({ label: 'Risk Event', source: 'standard' }));
			expect(byName.quality_event_quality_team_member__v).toEqual(
				expect.objectContaining({
					label: 'Quality Event Quality Team Member',
					label_plural: 'Quality Event Quality Team Members',
					prefix: 'QTM',
					in_menu: false,
					source: 'standard',
				}),
			);
			expect(byName.lab_investigation_quality_team_member__v.label).toBe('Lab Investigation Quality Team Member');

			expect(body.objects.map((object: Envelope) => object.name)).toEqual([
				'product__v',
				'country__v',
				'application_role__v',
				'user__sys',
				'group__sys',
				...Object.keys(TEAM_OBJECTS),
				...Object.keys(MEMBER_OBJECTS),
			]);
			for (const object of body.objects) {
				expect(object).toEqual(expect.objectContaining({ url: `${V}/metadata/vobjects/${object.name}`, status: ['active__v'], configuration_state: 'STEADY_STATE' }));
				expect(object).not.toHaveProperty('localized_data');
			}
			// the same answer every time
			expect((await get(OBJECTS)).body).toEqual(body);
		});

		it('adds localized_data with loc=true, and names the version asked for in each url', async () => {
			const { body } = await get(`${OBJECTS}?loc=true`);
			expect(body.objects.find((object: Envelope) => object.name === 'user__sys')).toEqual(
				expect.objectContaining({ localized_data: { label_plural: { en: 'Users' }, label: { en: 'User' } } }),
			);
			for (const object of body.objects) expect(object.localized_data).toEqual({ label_plural: { en: object.label_plural }, label: { en: object.label } });
			expect((await get(`${OBJECTS}?loc=false`)).body.objects[0]).not.toHaveProperty('localized_data');
			expect((await get('/api/v24.1/metadata/vobjects')).body.objects[0].url).toBe('/api/v24.1/metadata/vobjects/product__v');
		});

		it('lists a seeded team-enabled object, with the source its suffix gives', async () => {
			await vault.sandbox.client.seed({ records: [{ object: 'supplier_audit__c', id: 'SA0000001', name: 'SA-1' }] });
			const objects = (await get(OBJECTS)).body.objects as Envelope[];
			const names = objects.map((object) => object.name);
			expect(names.indexOf('supplier_audit__c')).toBe(names.indexOf('complaint__qdm') + 1);
			expect(objects.find((object) => object.name === 'supplier_audit__c')).toEqual(
				expect.objectContaining({ label: 'Supplier Audit', label_plural: 'Supplier Audits', prefix: 'SA0', source: 'custom', in_menu: true }),
			);
		});

		it('counts against the burst limit and is logged like any GET', async () => {
			await vault.sandbox.client.clearLog();
			const first = await get(OBJECTS);
			const second = await get(RULES);
			const remaining = Number(first.headers.get('x-vaultapi-burstlimitremaining'));
			expect(first.headers.get('x-vaultapi-burstlimit')).toBe('2000');
			expect(Number(second.headers.get('x-vaultapi-burstlimitremaining'))).toBe(remaining - 1);
			const log = await vault.sandbox.client.log();
			expect(log.map((entry) => [entry.method, entry.path, entry.responseStatus])).toEqual([
				['GET', OBJECTS, 'SUCCESS'],
				['GET', RULES, 'SUCCESS'],
			]);
		});
	});

	describe('GET /api/{version}/configuration/role_assignment_rule (Retrieve Lifecycle Role Assignment Rules)', () => {
		it("answers one default rule per role per lifecycle, in the page's field names", async () => {
			const { status, body } = await get(RULES);
			expect(status).toBe(200);
			expect(Object.keys(body)).toEqual(['responseStatus', 'data']);
			expect(body.responseStatus).toBe('SUCCESS');
			expect(body.data).toEqual(LIFECYCLE_ROLE_RULES);
			expect(body.data[0]).toEqual({
				lifecycle__v: 'general_lifecycle__c',
				role__v: 'reviewer__v',
				allowed_users__v: [DEMO_USER.username, 'user100001@sandbox.veevavault.com', 'user100002@sandbox.veevavault.com'],
				allowed_groups__v: ['quality_reviewers__c', 'document_control__c'],
				allowed_default_users__v: ['user100001@sandbox.veevavault.com'],
				allowed_default_groups__v: ['quality_reviewers__c'],
			});
			expect(body.data.map((rule: Envelope) => `${rule.lifecycle__v}/${rule.role__v}`)).toEqual([
				'general_lifecycle__c/reviewer__v',
				'general_lifecycle__c/approver__v',
				'general_lifecycle__c/consumer__v',
				'sop_lifecycle__c/approver__v',
				'sop_lifecycle__c/reviewer__v',
			]);
			// default users and groups are among the allowed ones; groups are named groups, users user names
			const groupNames = new Set(NAMED_GROUPS.map((group) => group.name));
			for (const rule of body.data) {
				for (const user of rule.allowed_default_users__v) expect(rule.allowed_users__v).toContain(user);
				for (const group of rule.allowed_default_groups__v) expect(rule.allowed_groups__v).toContain(group);
				for (const group of rule.allowed_groups__v) expect(groupNames.has(group)).toBe(true);
				for (const user of rule.allowed_users__v) expect(user).toMatch(/@sandbox\.veevavault\.com$/);
			}
		});

		it('filters by lifecycle__v and role__v, exactly; an override filter or an unknown name leaves no rule', async () => {
			const roles = async (q: string) => (await get(`${RULES}?${q}`)).body.data.map((rule: Envelope) => `${rule.lifecycle__v}/${rule.role__v}`);
			expect(await roles('lifecycle__v=sop_lifecycle__c')).toEqual(['sop_lifecycle__c/approver__v', 'sop_lifecycle__c/reviewer__v']);
			expect(await roles('role__v=approver__v')).toEqual(['general_lifecycle__c/approver__v', 'sop_lifecycle__c/approver__v']);
			expect(await roles('lifecycle__v=general_lifecycle__c&role__v=consumer__v')).toEqual(['general_lifecycle__c/consumer__v']);
			expect(await roles('lifecycle__v=sop_lifecycle__c&role__v=consumer__v')).toEqual([]);
			expect(await roles('role__v=Approver__v')).toEqual([]);
			expect(await roles('lifecycle__v=nothing__c')).toEqual([]);
			// the sandbox has default rules only, and an override filter excludes them (the page)
			expect(await roles('role__v=approver__v&product__v=0PR0011001')).toEqual([]);
			expect(await roles('country__v.name__v=United%20States')).toEqual([]);
			const answer = (await get(`${RULES}?lifecycle__v=nothing__c`)).body;
			expect(answer).toEqual({ responseStatus: 'SUCCESS', data: [] });
		});

		it('offers only roles the document role endpoint accepts (no owner__v), and a seeded document role', async () => {
			const offered = [...new Set((await get(RULES)).body.data.map((rule: Envelope) => rule.role__v))];
			expect(offered.sort()).toEqual([...DOCUMENT_ROLES].sort());
			expect(offered).not.toContain('owner__v');
			for (const role of offered) {
				const answer = await post(`${V}/objects/documents/roles/batch`, `id,${role}.users\n11,100001\n`, { 'Content-Type': 'text/csv' });
				expect(answer.data[0]).toEqual(expect.objectContaining({ responseStatus: 'SUCCESS', id: 11 }));
			}
			await vault.sandbox.client.seed({ documents: [{ id: 5001, roles: ['editor__c', 'reviewer__v'] }] });
			const data = (await get(RULES)).body.data as Envelope[];
			expect(data).toHaveLength(LIFECYCLE_ROLE_RULES.length + 1);
			expect(data[data.length - 1]).toEqual({
				lifecycle__v: 'general_lifecycle__c',
				role__v: 'editor__c',
				allowed_users__v: [],
				allowed_groups__v: [],
				allowed_default_users__v: [],
				allowed_default_groups__v: [],
			});
			const editor = await post(`${V}/objects/documents/roles/batch`, 'id,editor__c.users\n5001,100001\n', { 'Content-Type': 'text/csv' });
			expect(editor.data[0].responseStatus).toBe('SUCCESS');
		});
	});

	describe('VQL on application_role__v', () => {
		it('answers one row per application role: id (a 0AR record id, not its api name), api_name__v, name__v (label), status__v', async () => {
			const answer = await query('SELECT id, api_name__v, name__v, status__v FROM application_role__v');
			expect(answer).toEqual({
				responseStatus: 'SUCCESS',
				responseDetails: { pagesize: 1000, pageoffset: 0, size: 5, total: 5 },
				data: [
					{ id: '0AR000000000101', api_name__v: 'record_owner__c', name__v: 'Record Owner', status__v: ['active__v'] },
					{ id: '0AR000000000102', api_name__v: 'sme__c', name__v: 'SME', status__v: ['active__v'] },
					{ id: '0AR000000000103', api_name__v: 'qa__c', name__v: 'QA', status__v: ['active__v'] },
					{ id: '0AR000000000104', api_name__v: 'approver__c', name__v: 'Approver', status__v: ['active__v'] },
					{ id: '0AR000000000105', api_name__v: 'reviewer__c', name__v: 'Reviewer', status__v: ['active__v'] },
				],
			});
			expect(answer.data.map((row: Envelope) => row.api_name__v)).toEqual(APPLICATION_ROLES);
			expect((await query("SELECT id, name__v FROM application_role__v WHERE api_name__v CONTAINS ('qa__c', 'sme__c')")).data).toEqual([
				{ id: '0AR000000000102', name__v: 'SME' },
				{ id: '0AR000000000103', name__v: 'QA' },
			]);
			expect((await query("SELECT api_name__v FROM application_role__v WHERE status__v = 'active__v' AND name__v = 'QA'")).data).toEqual([{ api_name__v: 'qa__c' }]);
			// the role id is what the member objects' application_role__v holds
			await vault.sandbox.client.seed({ teamMembers: [{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100002, role: 'qa__c' }] });
			const member = await query('SELECT application_role__v FROM quality_event_quality_team_member__v');
			expect((await query(`SELECT api_name__v FROM application_role__v WHERE id = '${member.data[0].application_role__v}'`)).data).toEqual([{ api_name__v: 'qa__c' }]);
		});

		it('includes seeded roles, and refuses fields the table does not have', async () => {
			await vault.sandbox.client.seed({ applicationRoles: ['lead_investigator__c'] });
			const rows = (await query('SELECT id, name__v FROM application_role__v')).data as Envelope[];
			expect(rows[rows.length - 1]).toEqual({ id: '0AR000000000106', name__v: 'Lead Investigator' });
			const refused = await query('SELECT label__v FROM application_role__v');
			expect(refused.responseStatus).toBe('FAILURE');
			expect(refused.errors[0]).toEqual({
				type: 'INVALID_DATA',
				message: "unknown field 'label__v' on application_role__v (fields: id, api_name__v, name__v, status__v)",
			});
		});
	});

	describe('refusals', () => {
		it('settings.refuseMetadata makes both endpoints and VQL on application_role__v answer INSUFFICIENT_ACCESS', async () => {
			expect((await vault.sandbox.client.getSettings()).refuseMetadata).toBe(false);
			await vault.sandbox.client.settings({ refuseMetadata: true });
			for (const path of [OBJECTS, `${OBJECTS}?loc=true`, RULES, `${RULES}?role__v=approver__v`]) {
				const { status, body } = await get(path);
				expect(status).toBe(200);
				expect(body).toEqual(REFUSED);
			}
			expect(await query('SELECT id FROM application_role__v')).toEqual(REFUSED);
			// other reads still answer; a query Vault cannot read is still a syntax error first
			expect((await query('SELECT id FROM user__sys WHERE id = 61001')).data).toEqual([{ id: '61001' }]);
			expect((await query('SELECT id FROM application_role__v WHER')).errors[0].type).toBe('INCORRECT_QUERY_SYNTAX_ERROR');
			const log = await vault.sandbox.client.log();
			expect(log.filter((entry) => entry.errorType === 'INSUFFICIENT_ACCESS')).toHaveLength(5);

			await vault.sandbox.client.settings({ refuseMetadata: false });
			expect((await get(OBJECTS)).body.responseStatus).toBe('SUCCESS');
			await vault.sandbox.client.settings({ refuseMetadata: true });
			await vault.sandbox.client.reset();
			expect((await vault.sandbox.client.getSettings()).refuseMetadata).toBe(false);
		});

		it('refuses a refuseMetadata that is not a boolean with 400', async () => {
			await expect(vault.sandbox.client.settings({ refuseMetadata: 'yes' as never })).rejects.toThrow(/answered 400.*refuseMetadata must be true or false/);
			expect((await vault.sandbox.client.getSettings()).refuseMetadata).toBe(false);
		});

		it('can also be made to fail by a fault on its path (a proxy 500, or a Vault API_LIMIT_EXCEEDED)', async () => {
			await vault.sandbox.client.faults([
				{ kind: 'http500', match: { method: 'GET', path: '/metadata/vobjects' } },
				{ kind: 'apiLimit', match: { path: '/configuration/role_assignment_rule' } },
			]);
			const proxy = await fetch(vault.sandbox.url + OBJECTS, { headers: { Authorization: vault.session } });
			expect(proxy.status).toBe(500);
			expect(await proxy.text()).toBe('Internal Server Error');
			expect((await get(RULES)).body.errors[0].type).toBe('API_LIMIT_EXCEEDED');
			// each fault hits once (count), then the endpoints answer again
			expect((await get(OBJECTS)).body.responseStatus).toBe('SUCCESS');
			expect((await get(RULES)).body.responseStatus).toBe('SUCCESS');
		});

		it('refuses a missing, invalid or expired session; Retrieve Object Collection is GET only', async () => {
			for (const path of [OBJECTS, RULES]) {
				for (const authorization of [null, 'not-a-session']) {
					const { status, body } = await get(path, authorization);
					expect(status).toBe(200);
					expect(body).toEqual({ responseStatus: 'FAILURE', errors: [{ type: 'INVALID_SESSION_ID', message: 'Invalid or expired session ID.' }] });
				}
			}
			// Retrieve Object Collection is GET only (POST on role_assignment_rule is Vault's Create Override
			// Rules, which the sandbox does not model, so it is not asserted here)
			expect((await post(OBJECTS)).errors[0].type).toBe('METHOD_NOT_SUPPORTED');
			await vault.sandbox.client.expireSessions(vault.session);
			expect((await get(OBJECTS)).body.errors[0].type).toBe('INVALID_SESSION_ID');
			expect((await get(RULES)).body.errors[0].type).toBe('INVALID_SESSION_ID');
		});
	});
});
