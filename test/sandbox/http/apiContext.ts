/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import type { IncomingMessage } from 'node:http';

import type { Session } from '../state/sessions';
import type { SandboxWorld } from '../state/world';
import type { FaultSpec, SandboxVault } from '../types';
import type { VaultResponse } from './vaultResponse';

/** One API request as a handler sees it. */
export interface ApiContext {
	world: SandboxWorld;
	/** the Vault of the listener the request arrived on */
	vault: SandboxVault;
	method: string;
	path: string;
	/** path parameters of the matched route, e.g. objectName, jobId */
	params: Record<string, string>;
	query: Record<string, string>;
	request: IncomingMessage;
	body: Buffer;
	now: number;
	/** a fault that bends this request's answer rather than replacing it (QueryFaultKind): the handler applies it */
	fault?: FaultSpec;
}

export interface SessionContext extends ApiContext {
	session: Session;
}

export type PublicHandler = (context: ApiContext) => VaultResponse;
export type SessionHandler = (context: SessionContext) => VaultResponse;
