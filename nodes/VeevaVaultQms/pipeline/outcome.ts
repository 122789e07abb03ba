import type { IDataObject } from 'n8n-workflow';

/** What happened to one input item, before it is shaped into an output item. */
export type ItemOutcome =
	| { itemIndex: number; rowNumber?: number; ok: true; json: IDataObject }
	| { itemIndex: number; rowNumber?: number; ok: false; message: string; details: IDataObject };

/**
 * Lines of an error description. n8n's editor shows a description as HTML, where a newline is a
 * space and a list of items would run together as one paragraph: each line ends in <br>, and keeps
 * its newline for logs and the CLI.
 */
export const LINE_BREAK = '<br>\n';

/** A message that lists many items stays readable: one line each, the first few, then a count. */
export function listProblems(lines: string[], most = 20): string {
	const shown = lines.slice(0, most);
	const more = lines.length - shown.length;
	return shown.join(LINE_BREAK) + (more > 0 ? `${LINE_BREAK}... and ${more} more` : '');
}

/**
 * What a run refused as a whole adds for each input item, e.g. the item's own problems when no
 * row was usable. Kept beside the error (not in its context, which n8n shows and logs) for the
 * one place that turns a refused run into error items under continue on fail (output.ts,
 * `refusedRunItems`); held only as long as the error object lives.
 */
const refusalItemDetails = new WeakMap<object, Map<number, IDataObject>>();

export function withItemDetails<E extends object>(error: E, details: Map<number, IDataObject>): E {
	refusalItemDetails.set(error, details);
	return error;
}

export function itemDetailsOf(error: object): Map<number, IDataObject> | undefined {
	return refusalItemDetails.get(error);
}

/** A document row Vault refused (the per-row answer of the document role endpoints), in Vault's words. */
export function rowFailureText(result: Record<string, unknown>): string {
	const errors = Array.isArray(result.errors) ? (result.errors as Array<{ type?: string; message?: string }>) : [];
	const reasons = errors.map((error) => `${error.type ?? 'ERROR'}: ${error.message ?? 'no reason given'}`).join('; ');
	return `Vault refused document ${String(result.id)} (${reasons || 'no reason given'})`;
}
