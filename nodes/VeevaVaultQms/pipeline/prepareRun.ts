import type { IExecuteFunctions } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { failedBeforeSending } from './errors';
import { prepareRows, rowRules, type Lookups, type PreparedRows } from './prepare';
import { lookupsWanted, looksUpKind, resolveLookups } from './resolve';
import { checkTeamRoles } from './teamChecks';
import type { BulkSettings, LookupSettings, SourceRow } from './types';

/**
 * The front of every in-memory run (Sync's and Remove Everywhere's too): the find-by lookups, the
 * rows prepared, the roles checked against the teams, the fields not sent said. Apart from run.ts
 * so that the orchestrator reads as the choice of run and the runs themselves.
 */

/**
 * map → resolve → validate for a whole run: the find-by lookups first when an option asks for them
 * (reads are allowed in a dry run too: it shows the CSV with the ids Vault would get), then the
 * rows, then the hint of fields not sent. The client is the one made for a read, if any.
 */
export async function prepareRun(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	source: SourceRow[],
	settings: BulkSettings,
): Promise<{ prepared: PreparedRows; client?: VaultClient }> {
	const { spec, context } = settings;
	let client: VaultClient | undefined;
	let lookups: Lookups | undefined;
	if (lookupsWanted(settings.lookups)) {
		client = await connect();
		lookups = await lookUp(fx, client, source, settings, settings.lookups);
	}
	const prepared = prepareRows(source, spec, context, lookups);
	// the application roles against each record's team (issue 22, item 4); a dry run reads Vault only when a find-by option already does
	if (settings.checkRoles && settings.teams && spec.teamColumns && (client || !settings.dryRun)) {
		client ??= await connect();
		await checkTeamRoles(
			fx,
			client,
			settings.teams,
			context.objectName,
			spec.teamColumns,
			prepared,
		);
	}
	hintIgnoredFields(fx, prepared.ignoredFields);
	return { prepared, client };
}

/** The find-by lookups' tables, read before anything is sent; their notes said beside the output. */
async function lookUp(
	fx: IExecuteFunctions,
	client: VaultClient,
	source: SourceRow[],
	settings: BulkSettings,
	wanted: LookupSettings,
): Promise<Lookups> {
	const { spec, context } = settings;
	const what = `Looking up ${lookupWords(wanted)} in Vault`;
	const { tables, notes } = await resolveLookups(
		client,
		source,
		rowRules(spec, context),
		wanted,
		context.objectName,
	).catch(failedBeforeSending(fx, what));
	for (const message of notes)
		if (typeof fx.addExecutionHints === 'function')
			fx.addExecutionHints({ message, location: 'outputPane' });
	return { settings: wanted, tables };
}

/** Fields of the input that did not go to Vault, said once per run beside the output (an n8n execution hint). */
function hintIgnoredFields(fx: IExecuteFunctions, fields: string[]) {
	if (fields.length === 0 || typeof fx.addExecutionHints !== 'function') return;
	const shown = fields.slice(0, 20).join(', ');
	fx.addExecutionHints({
		message: `Input fields not sent to Vault (not a column of this operation): ${shown}${fields.length > 20 ? ', ...' : ''}`,
		location: 'outputPane',
	});
}

function lookupWords(settings: LookupSettings): string {
	const words = [
		settings.user !== 'id' ? 'users' : '',
		settings.group !== 'id' ? 'groups' : '',
		settings.record !== 'id' ? 'records' : '',
		looksUpKind(settings, 'auditorProfile') ? 'auditor profiles' : '',
	];
	return words.filter(Boolean).join(' and ');
}
