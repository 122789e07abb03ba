import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { TeamColumns } from '../operations/types';
import type { TeamRoleDefinition } from '../read/teamDefinitions';
import type { ObjectTeam, ObjectTeams, TeamCatalog, TeamLayout } from '../read/teamLayout';
import type { VaultClient } from '../transport/client';
import { failedBeforeSending } from './errors';
import { byItemThenRow, LINE_BREAK, listProblems } from './messages';
import type { Row } from '../csv/vaultCsv';
import type { PreparedRows } from './prepare';

/**
 * The Quality Team stages of a run (issue 22): the object's team layout, read once and checked
 * before anything is sent (teamLayoutFor), and the validate stage that refuses a row whose
 * application role is not a role of its record's team (checkTeamRoles). What was assumed rather
 * than read from Vault is said once per run, as an execution hint, and in Sync's summary.
 */

/** Where the run reads team members; stops the run, before sending, when that read would not be sound. */
export async function teamLayoutFor(
	fx: IExecuteFunctions,
	client: VaultClient,
	catalog: TeamCatalog,
	objectName: string,
): Promise<TeamLayout> {
	const layout = await catalog
		.layout(client, objectName)
		.catch(failedBeforeSending(fx, 'Reading how this Vault keeps its Quality Teams'));
	hintAssumed(fx, catalog, layout);
	if (layout.noTeam) {
		throw new NodeOperationError(
			fx.getNode(),
			`${layout.noTeam}, so its team members cannot be read and nothing was sent`,
			{
				description:
					'Check the Object; run Quality Team → Describe Teams to see the Quality Teams of this Vault.',
			},
		);
	}
	if (layout.mismatches.length > 0) {
		throw new NodeOperationError(
			fx.getNode(),
			'The team member fields are not what the node must read, so nothing was sent',
			{
				description: `${listProblems(layout.mismatches)}${LINE_BREAK}Run Quality Team → Describe Teams to see the member object's fields, and correct (or clear) the Team Member Object and Member … Field options.`,
			},
		);
	}
	return layout;
}

/** Sync's Roles (scope): a role no team of the object has would scope the sync to nothing; refused before anything is read or sent. */
export function checkScopeRoles(
	fx: IExecuteFunctions,
	layout: TeamLayout,
	roles: readonly string[],
): void {
	if (layout.definitionsUnreadable || roles.length === 0) return;
	const known = new Set(
		layout.teams.flatMap(
			(team) => team.definition?.roles.map((role) => role.applicationRole) ?? [],
		),
	);
	const unknown = roles.filter((role) => !known.has(role));
	if (unknown.length === 0) return;
	throw new NodeOperationError(
		fx.getNode(),
		`Role ${unknown.join(', ')} under Roles is not a role of any Quality Team of ${layout.object}, so nothing was sent`,
		{
			description: `The roles of its Quality Teams: ${[...known].join(', ')}. Roles takes application roles' API names.`,
		},
	);
}

/** What the run's output says of where the team definitions came from (Sync's summary). */
export function teamSource(layout: TeamLayout): IDataObject {
	const teams = layout.teams.map((team) => ({
		team: team.definition?.name ?? null,
		objectType: team.definition?.objectType ?? null,
		memberObject: team.member.object,
	}));
	if (layout.assumed.length === 0) return { teamDefinition: 'read from Vault', teams };
	return { teamDefinition: 'assumed', assumedNames: layout.assumed, teams };
}

/** Said once per run: names the node used without reading them from Vault, and how to check them. */
function hintAssumed(fx: IExecuteFunctions, catalog: TeamCatalog, layout: ObjectTeams) {
	const unsaid = layout.assumed.filter((line) => !catalog.hinted.has(line));
	if (unsaid.length === 0 || typeof fx.addExecutionHints !== 'function') return;
	for (const line of unsaid) catalog.hinted.add(line);
	fx.addExecutionHints({
		message: `Quality Teams of ${layout.object} read with assumed names: ${unsaid.join('; ')}. Run Quality Team → Describe Teams as a Vault admin to check them.`,
		location: 'outputPane',
	});
}

/**
 * The validate stage for the team columns (Manage, Sync): a row whose application role is not a
 * role of its record's team (the team's Qualityteamroles' linked application roles; Quality MDL,
 * "Qualityteam") is that item's problem, naming the team's roles, before anything is sent: Vault
 * would take the batch and fail the row in the job, telling why only by email. A record whose
 * object type no team of the object covers is a problem too. When the definitions cannot be read
 * nothing is checked here (said in the hint: roles not checked).
 */
export async function checkTeamRoles(
	fx: IExecuteFunctions,
	client: VaultClient,
	catalog: TeamCatalog,
	objectName: string,
	columns: TeamColumns,
	prepared: PreparedRows,
): Promise<void> {
	if (prepared.rows.length === 0) return;
	const what = 'Reading the Quality Team of each record to check its roles';
	const layout = await catalog.teams(client, objectName).catch(failedBeforeSending(fx, what));
	hintAssumed(fx, catalog, layout);
	if (layout.definitionsUnreadable) return;
	const teams = layout.noTeam
		? undefined
		: await catalog
				.teamsOf(
					client,
					layout,
					prepared.rows.map((planned) => planned.row[columns.record]),
				)
				.catch(failedBeforeSending(fx, what));
	const kept = prepared.rows.filter((planned) => {
		const record = planned.row[columns.record];
		const problem =
			layout.noTeam ?? roleProblem(teams?.get(record), layout, record, planned.row[columns.role]);
		if (problem === undefined) return true;
		prepared.problems.push({
			itemIndex: planned.itemIndex,
			rowNumber: planned.rowNumber,
			problems: [problem],
			row: planned.row,
			unusable: new Set([columns.role]),
		});
		return false;
	});
	prepared.rows = kept;
	prepared.problems.sort(byItemThenRow);
}

/**
 * The same check for a streamed file (pipeline/twoPass.ts), whose rows are not kept: a
 * role of no team of the object is the row's problem; where the object has a team per object type
 * the record's own type is not read, so a role of another type's team passes here (Vault refuses
 * it in the job). Undefined: nothing to check (the definitions could not be read).
 */
export async function streamedRoleCheck(
	fx: IExecuteFunctions,
	client: VaultClient,
	catalog: TeamCatalog,
	objectName: string,
	columns: TeamColumns,
): Promise<((row: Row) => string | undefined) | undefined> {
	const teams = await catalog
		.teams(client, objectName)
		.catch(failedBeforeSending(fx, 'Reading the Quality Teams to check the roles'));
	hintAssumed(fx, catalog, teams);
	if (teams.definitionsUnreadable) return undefined;
	if (teams.noTeam) return () => teams.noTeam;
	const team = teams.teams.length === 1 ? teams.teams[0] : undefined;
	const roles = new Set(
		teams.teams.flatMap(
			(entry) => entry.definition?.roles.map((role) => role.applicationRole) ?? [],
		),
	);
	return (row) => {
		const role = row[columns.role];
		if (roles.has(role)) return undefined;
		return team
			? roleProblem(team, teams, row[columns.record], role)
			: `application_role "${role}" is not a role of any Quality Team of ${objectName}; their roles: ${[...roles].join(', ')}`;
	};
}

function roleProblem(
	team: ObjectTeam | undefined,
	layout: ObjectTeams,
	record: string,
	role: string,
): string | undefined {
	if (!team) {
		const types = layout.teams
			.map(
				(entry) =>
					`${entry.definition?.name} (${entry.definition?.objectType ?? 'any other type'})`,
			)
			.join(', ');
		return `no Quality Team of ${layout.object} applies to record ${record}'s object type; its teams: ${types}`;
	}
	const definition = team.definition;
	if (!definition || definition.roles.some((entry) => entry.applicationRole === role))
		return undefined;
	const near = definition.roles.find((entry) =>
		[entry.applicationRole, entry.label, entry.name].some(
			(name) => name.toLowerCase() === role.trim().toLowerCase(),
		),
	);
	return (
		`application_role "${role}" is not a role of the Quality Team ${definition.label} (${definition.name}) of record ${record}; its roles: ${definition.roles.map(roleText).join(', ')}` +
		(near ? ` (did you mean ${near.applicationRole}?)` : '')
	);
}

function roleText(role: TeamRoleDefinition): string {
	return role.label && role.label !== role.applicationRole
		? `${role.applicationRole} (${role.label})`
		: role.applicationRole;
}
