export interface MultipartPart {
	name?: string;
	filename?: string;
	contentType?: string;
	content: Buffer;
}

/**
 * The boundary of a Content-Type, if it has one: multipart/form-data, or another type over a multipart
 * body, as curl's `-H 'Content-Type: text/csv' -F file=@…` sends (`text/csv; boundary=…`).
 */
export function multipartBoundary(contentType: string | undefined): string | undefined {
	const match = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '');
	return match?.[1] ?? match?.[2];
}

/** Splits a multipart/form-data body into its parts (RFC 7578, enough for curl's and fetch's forms). */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
	// latin1 maps every byte to one character, so parts can be cut as text and turned back into bytes
	const text = body.toString('latin1');
	const delimiter = `--${boundary}`;
	const parts: MultipartPart[] = [];
	for (const chunk of text.split(delimiter).slice(1)) {
		if (chunk.startsWith('--')) break;
		const headerEnd = chunk.indexOf('\r\n\r\n');
		if (headerEnd < 0) continue;
		const headers = chunk.slice(0, headerEnd);
		const content = chunk.slice(headerEnd + 4).replace(/\r\n$/, '');
		const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
		parts.push({
			name: /\bname="([^"]*)"/i.exec(disposition)?.[1],
			filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1],
			contentType: /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim(),
			content: Buffer.from(content, 'latin1'),
		});
	}
	return parts;
}

/** The CSV file of a Vault upload form: the part named `file`, else the first part with a file name. */
export function fileFromMultipart(body: Buffer, contentType: string | undefined): MultipartPart | undefined {
	const boundary = multipartBoundary(contentType);
	if (!boundary) return undefined;
	const parts = parseMultipart(body, boundary);
	return parts.find((part) => part.name === 'file') ?? parts.find((part) => part.filename !== undefined);
}

/** The part of a multipart body named `name`. */
export function namedPart(body: Buffer, contentType: string | undefined, name: string): MultipartPart | undefined {
	const boundary = multipartBoundary(contentType);
	return boundary ? parseMultipart(body, boundary).find((part) => part.name === name) : undefined;
}
