import type { IDataObject } from 'n8n-workflow';

/** What happened to one input item, before it is shaped into an output item. */
export type ItemOutcome =
	| { itemIndex: number; rowNumber?: number; ok: true; json: IDataObject }
	| { itemIndex: number; rowNumber?: number; ok: false; message: string; details: IDataObject };

/** A message that lists many items stays readable: the first few, then a count. */
export function listProblems(lines: string[], most = 20): string {
	const shown = lines.slice(0, most);
	const more = lines.length - shown.length;
	return shown.join('\n') + (more > 0 ? `\n... and ${more} more` : '');
}
