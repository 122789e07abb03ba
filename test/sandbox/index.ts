/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { SandboxClient } from './client';
import { Delays } from './http/delays';
import { elsewhereRequestHandler } from './http/elsewhere';
import { closeListener, listen, vaultRequestHandler, type Listener } from './http/listeners';
import { VAULTS } from './seedData';
import { DEFAULT_SETTINGS, mergeSettings } from './settings';
import { SandboxWorld } from './state/world';
import type { SandboxSettingsPatch, SandboxVault } from './types';

export { SandboxClient } from './client';
export { DEFAULT_SETTINGS } from './settings';
export { SANDBOX_OAUTH_CLIENT } from './state/authorizationServer';
export { SCRIPTED_MODEL } from './http/chatModel';
export type { ChatRequest, ChatScript } from './state/chatModel';
export {
	APPLICATION_ROLE_LABELS,
	APPLICATION_ROLES,
	AUDITOR_ROLES,
	DEMO_USER,
	DOCUMENT_ROLES,
	GROUP_IDS,
	INACTIVE_GENERATED_USER_IDS,
	LIFECYCLE_ROLE_RULES,
	MEMBER_OBJECTS,
	NAMED_AUDITOR_PROFILES,
	NAMED_GROUPS,
	QUERY_USERS,
	SANDBOX_USERS,
	SHARED_EMAIL,
	TEAM_OBJECT_LABELS,
	TEAM_OBJECTS,
	VAULTS,
	type LifecycleRoleRule,
} from './seedData';
export { OBJECT_TYPES, QUALITY_TEAMS, relationshipOf, type SandboxObjectType, type SandboxTeam, type SandboxTeamRole } from './qualityTeams';
export type * from './types';
export type { RecordChange } from './state/recordTimes';
export type { TeamChange } from './state/teamChanges';

export interface RunningSandbox {
	/** vaults[0] is the main Vault (1001), vaults[1] the second (1002) */
	vaults: SandboxVault[];
	/** = vaults[0].url */
	url: string;
	/** = vaults[0].url + '/_sandbox' */
	controlUrl: string;
	/**
	 * The second listener, another origin than every Vault (127.0.0.2 where it can be bound): the
	 * redirect faults point here, and it records what reaches it (`client.elsewhere()`).
	 */
	elsewhereUrl: string;
	client: SandboxClient;
	/** closes every listener and open socket, lets every delayed request go */
	close(): Promise<void>;
}

export interface StartSandboxOptions {
	/** default 127.0.0.1 */
	host?: string;
	/** one port per Vault; 0 or missing = a free port */
	ports?: number[];
	/** the start settings, which reset() returns to */
	settings?: SandboxSettingsPatch;
}

/** Starts one listener per Vault, all sharing one state; a request's Vault is the listener it arrived on. */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
	const host = options.host ?? '127.0.0.1';
	const delays = new Delays();
	const handlers: Array<ReturnType<typeof vaultRequestHandler>> = [];
	const listeners: Listener[] = [];
	try {
		for (const [index] of VAULTS.entries()) {
			listeners.push(await listen(host, options.ports?.[index] ?? 0, () => handlers[index]));
		}
	} catch (error) {
		await Promise.all(listeners.map(closeListener));
		throw error;
	}
	const urlHost = host.includes(':') ? `[${host}]` : host;
	const vaults = VAULTS.map((vault, index) => {
		const dns = `${urlHost}:${listeners[index].port}`;
		return { id: vault.id, name: vault.name, url: `http://${dns}`, dns };
	});
	const world = new SandboxWorld(vaults, mergeSettings(DEFAULT_SETTINGS, options.settings));
	vaults.forEach((vault, index) => (handlers[index] = vaultRequestHandler(world, vault, delays)));
	const elsewhereHandler = elsewhereRequestHandler(world);
	let elsewhere: Listener & { host: string };
	try {
		elsewhere = await listenElsewhere(host, () => elsewhereHandler);
	} catch (error) {
		await Promise.all(listeners.map(closeListener));
		throw error;
	}
	world.elsewhere.url = `http://${elsewhere.host.includes(':') ? `[${elsewhere.host}]` : elsewhere.host}:${elsewhere.port}`;
	listeners.push(elsewhere);

	const controlUrl = `${vaults[0].url}/_sandbox`;
	return {
		vaults,
		url: vaults[0].url,
		controlUrl,
		elsewhereUrl: world.elsewhere.url,
		client: new SandboxClient(controlUrl),
		async close() {
			const closing = listeners.map(closeListener);
			delays.releaseAll();
			await Promise.all(closing);
		},
	};
}

/**
 * The redirect target's listener: on 127.0.0.2 when the sandbox is on 127.0.0.1 (Linux routes all of
 * 127.0.0.0/8 to loopback), so it is another host, not only another port; elsewhere (macOS has only
 * 127.0.0.1 unless configured) another port of the sandbox's own host, which is still another origin.
 */
async function listenElsewhere(host: string, handler: () => (request: IncomingMessage, response: ServerResponse) => void): Promise<Listener & { host: string }> {
	if (host === '127.0.0.1') {
		const other = await listen('127.0.0.2', 0, handler).catch(() => undefined);
		if (other) return { ...other, host: '127.0.0.2' };
	}
	return { ...(await listen(host, 0, handler)), host };
}
