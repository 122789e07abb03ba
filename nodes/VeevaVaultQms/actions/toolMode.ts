import {
	NodeConnectionTypes,
	NodeOperationError,
	type IBinaryData,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { BulkOperationSpec, ColumnRule } from '../operations/types';
import { asOneTable } from '../pipeline/outputTable';
import type { RunSettings } from './parameters';

/**
 * The node as an AI agent's tool. Writes plan first (Sync Members: Plan Only; the other writes:
 * Dry Run) and nothing that removes is sent, unless the workflow builder allowed it on the node
 * (Agent Writes, Allow Agent Removals: shown only on the tool, descriptions/toolFields.ts). The
 * model fills only parameters that hold `$fromAI(...)`: these two are read as the fixed values
 * set in the node's panel, and an expression in them is refused, so no model answer can lift them.
 */

/**
 * Whether n8n runs this node as an AI agent's tool. n8n serves a `usableAsTool` node to an agent
 * as its tool variant, type `<type>Tool` (packages/cli/src/node-types.ts, getByNameAndVersion →
 * tool-generation/ai-tools.ts convertNodeToAiTool; n8n's own `@tool` display option tests the
 * same suffix). Then it runs it either through the engine (AI Agent 3.x: an EngineRequest,
 * n8n-core requests-response.ts, which sets `rewireOutputLogTo: ai_tool` on the node; there
 * `isToolExecution()` is false), or through a sub-node context (createNodeAsTool, n8n-core
 * get-input-connection-data.ts: `isToolExecution()` true, where n8n has it: not in 1.123.x).
 */
export function runsAsAgentTool(fx: IExecuteFunctions): boolean {
	const node = fx.getNode();
	if (node.type.endsWith('Tool') || node.rewireOutputLogTo === NodeConnectionTypes.AiTool)
		return true;
	return typeof fx.isToolExecution === 'function' && fx.isToolExecution();
}

/**
 * An error as the agent gets it: its description folded into the message. The engine hands a
 * tool's failure to the agent as `{ error: message }` alone (n8n-core workflow-execute.ts, the
 * ai_tool branch of handleNodeErrorOutput), where the sub-node path appends "Details:" itself
 * (get-input-connection-data.ts, makeHandleToolInvocation); without it the model would not know
 * which row was refused, or why.
 */
export function explainForTheAgent<E extends Error & { description?: string | null }>(
	fx: IExecuteFunctions,
	error: E,
): E {
	if (runsAsAgentTool(fx) && error.description && !error.message.includes(error.description)) {
		error.message = `${error.message}\n\nDetails: ${error.description}`;
	}
	return error;
}

/** What an agent's call may do, as set on the node. */
export interface AgentGuard {
	/** writes return their plan (Plan Only / Dry Run) and send nothing */
	planFirst: boolean;
	/** a removal may be sent (Manage or Sync REMOVE, Sync's removals, Document Role Remove) */
	removalsAllowed: boolean;
}

/** The guard for an agent's call, or undefined when the node does not run as a tool. */
export function readAgentGuard(fx: IExecuteFunctions): AgentGuard | undefined {
	if (!runsAsAgentTool(fx)) return undefined;
	const writes = fixedValue(fx, 'agentWrites', 'Agent Writes');
	const removals = fixedValue(fx, 'agentRemovals', 'Allow Agent Removals');
	return { planFirst: writes !== 'send', removalsAllowed: removals === true };
}

/**
 * A guard parameter as set in the node's panel, read from the node itself (never evaluated): an
 * expression, `$fromAI(...)` above all, would let the model or the agent's input decide it.
 */
function fixedValue(fx: IExecuteFunctions, name: string, label: string): unknown {
	const value = fx.getNode().parameters[name];
	if (typeof value === 'string' && value.startsWith('=')) {
		throw new NodeOperationError(
			fx.getNode(),
			`"${label}" is an expression; when an AI agent calls this node it must be a fixed choice, so nothing was sent`,
			{
				description: `The model fills parameters that hold $fromAI(...), and expressions can read what the agent passes: either could lift this guard. Choose a value for "${label}" in the node's panel.`,
			},
		);
	}
	return value;
}

const REMOVAL_REFUSED =
	'not allowed when an AI agent calls this node (the workflow builder can turn on "Allow Agent Removals" on the node)';

/**
 * A bulk run's settings under the guard: plan first, or, when sending, no removal. A plan sends
 * nothing, so it still lists removals; a send that holds one is refused: Document Role Remove and a
 * Sync that would remove anyone as a whole, a Manage REMOVE row as its item's error.
 */
export function guardBulkRun(
	fx: IExecuteFunctions,
	spec: BulkOperationSpec,
	run: RunSettings,
): RunSettings {
	const guard = readAgentGuard(fx);
	if (!guard) return run;
	if (guard.planFirst) {
		if (run.sync) return { ...run, sync: { ...run.sync, planOnly: true } };
		// Remove User From All Teams, Replace User: their plan lists every membership and why
		if (run.everywhere) return { ...run, everywhere: { ...run.everywhere, planOnly: true } };
		return { ...run, settings: { ...run.settings, dryRun: true } };
	}
	const sends = !run.settings.dryRun && !run.sync?.planOnly && !run.everywhere?.planOnly;
	if (guard.removalsAllowed || !sends) return run;
	if (spec.removes === 'everyRow') {
		throw new NodeOperationError(
			fx.getNode(),
			`${spec.name} removes users and groups from document roles, which is ${REMOVAL_REFUSED}; nothing was sent`,
		);
	}
	// both take the person off their Quality Teams (Replace after the stand-in's ADD): refused as a whole, before anything is read
	if (spec.everywhere)
		throw new NodeOperationError(
			fx.getNode(),
			`${spec.name} takes people off Quality Teams, which is ${REMOVAL_REFUSED}; nothing was sent`,
		);
	// Sync: its Max Removals rail, at 0, stops a plan that removes anyone, every removal listed (pipeline/rosterRails.ts)
	if (run.sync)
		return {
			...run,
			sync: { ...run.sync, maxRemovals: { count: 0, why: `a removal is ${REMOVAL_REFUSED}` } },
		};
	if (!spec.teamColumns) return run;
	return {
		...run,
		settings: { ...run.settings, spec: withoutRemovals(spec, spec.teamColumns.operation) },
	};
}

/** The spec with its operation column refusing REMOVE: every removal row becomes its item's error, in the validate stage's words. */
function withoutRemovals(spec: BulkOperationSpec, operationColumn: string): BulkOperationSpec {
	const refuse = (column: ColumnRule): ColumnRule =>
		column.name === operationColumn
			? {
					...column,
					pattern: /^(?!REMOVE$)/,
					patternHint: `an ADD: a removal is ${REMOVAL_REFUSED}`,
				}
			: column;
	return { ...spec, columns: (context) => spec.columns(context).map(refuse) };
}

const PLAN_NOTE =
	'Nothing was sent to Vault: when an AI agent calls this node the workflow lets it plan only (Agent Writes). Show this plan to the person; the workflow builder decides whether an agent may send.';

/**
 * A bulk run's items as the agent gets them: a dry run's CSV as text in the item (n8n hands an
 * agent no binary data: n8n-core get-input-connection-data.ts, mapResult), and, where the guard
 * made the run a plan, a note saying nothing was sent, on each dry-run item and on Sync's summary.
 */
export async function itemsForTheAgent(
	fx: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const guard = readAgentGuard(fx);
	if (!guard) return items;
	const note = guard.planFirst ? { agentNote: PLAN_NOTE } : {};
	// the added keys, null on the other items, as every output is one table (pipeline/outputTable.ts)
	const forAgent = await Promise.all(
		items.map(async (item) => {
			if (item.json.summary === true) return { ...item, json: { ...item.json, ...note } };
			const csv = item.json.dryRun === true ? item.binary?.csv : undefined;
			if (!csv) return item;
			return {
				...item,
				binary: undefined,
				json: { ...item.json, ...note, csv: await textOf(fx, csv) },
			};
		}),
	);
	return asOneTable(fx, forAgent);
}

async function textOf(fx: IExecuteFunctions, binary: IBinaryData): Promise<string> {
	const buffer = binary.id
		? await fx.helpers.binaryToBuffer(await fx.helpers.getBinaryStream(binary.id))
		: Buffer.from(binary.data, 'base64');
	return buffer.toString('utf8');
}

/** Run Query's cap on the rows an agent gets: the node's Max Rows for the Agent, a fixed value (1 to 1,000). */
export function agentRowCap(fx: IExecuteFunctions): number | undefined {
	if (!runsAsAgentTool(fx)) return undefined;
	const value = Math.floor(
		Number(fixedValue(fx, 'agentRowCap', 'Max Rows for the Agent') ?? DEFAULT_AGENT_ROWS),
	);
	return Number.isFinite(value) ? Math.min(Math.max(value, 1), MAX_AGENT_ROWS) : DEFAULT_AGENT_ROWS;
}

export const DEFAULT_AGENT_ROWS = 50;
export const MAX_AGENT_ROWS = 1000;
