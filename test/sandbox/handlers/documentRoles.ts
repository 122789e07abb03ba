import type { CsvRow, CsvTable } from '../csv/vaultCsv';
import type { SessionContext } from '../http/apiContext';
import { mediaType } from '../http/incoming';
import { failure, success, type VaultResponse } from '../http/vaultResponse';
import type { SandboxWorld } from '../state/world';
import { isResponse, readBulkCsv, requireContentType } from './bulkCsv';

const ROLE_COLUMN = /^(.+)\.(users|groups)$/;
type RowAnswer = Record<string, unknown>;

/**
 * POST (assign) and DELETE (remove) /api/{version}/objects/documents/roles/batch: Assign / Remove
 * Users & Groups to Roles on Multiple Documents. Synchronous, one answer per row, in order.
 */
export function documentRolesBatch(context: SessionContext): VaultResponse {
	const wrongType = requireContentType(context, ['text/csv', 'application/x-www-form-urlencoded']);
	if (wrongType) return wrongType;
	const table = readBulkCsv(context, 'documents', csvBody(context), ['id']);
	if (isResponse(table)) return table;
	const unknown = table.headers.filter((header) => header !== 'id' && !ROLE_COLUMN.test(header));
	if (unknown.length > 0) return failure('INVALID_DATA', `Unknown column(s): ${unknown.join(', ')}; expected id, {role}.users and {role}.groups.`);
	const remove = context.method === 'DELETE';
	return success({ data: table.rows.map((row) => answerRow(context.world, table, row, remove)) });
}

/** The page also takes one row as form fields: make them a CSV of one row. */
function csvBody(context: SessionContext): Buffer {
	if (mediaType(context.request.headers['content-type']) !== 'application/x-www-form-urlencoded') return context.body;
	const fields = [...new URLSearchParams(context.body.toString('utf8'))];
	const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '""')}"`;
	return Buffer.from(`${fields.map(([name]) => quote(name)).join(',')}\n${fields.map(([, value]) => quote(value)).join(',')}\n`);
}

function answerRow(world: SandboxWorld, table: CsvTable, row: CsvRow, remove: boolean): RowAnswer {
	const rawId = row.values.id ?? '';
	const refuse = (message: string): RowAnswer => ({ responseStatus: 'FAILURE', id: rawId, errors: [{ type: 'INVALID_DATA', message }] });
	if (row.error) return refuse(row.error);
	if (!/^\d+$/.test(rawId.trim())) return refuse(`"${rawId}" is not a document id.`);
	const documentId = Number(rawId.trim());
	const definedRoles = world.directory.documentRoles(documentId);
	if (!definedRoles) return refuse(`Document ${documentId} does not exist.`);
	const columns = table.headers.filter((header) => header !== 'id' && row.values[header].trim() !== '');
	const undefinedRole = columns.map((column) => ROLE_COLUMN.exec(column)?.[1] ?? '').find((role) => !definedRoles.includes(role));
	if (undefinedRole !== undefined) return refuse(`Role "${undefinedRole}" is not defined on document ${documentId}.`);

	const answer: RowAnswer = { responseStatus: 'SUCCESS', id: documentId };
	for (const column of columns) {
		const [, role, kind] = ROLE_COLUMN.exec(column) ?? [];
		const known = (id: number) => (kind === 'users' ? world.directory.user(id) !== undefined : world.directory.groupExists(id));
		const ids = row.values[column].split(',').map((part) => part.trim()).filter((part) => /^\d+$/.test(part)).map(Number).filter(known);
		const held = world.assignments.documentRole(documentId, definedRoles, role)[kind as 'users' | 'groups'];
		if (remove) {
			answer[column] = ids.filter((id) => held.delete(id));
		} else {
			for (const id of ids) held.add(id);
			answer[column] = [...held];
		}
	}
	return answer;
}
