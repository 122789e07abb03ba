/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import type { IncomingMessage } from 'node:http';

import { fileFromMultipart, multipartBoundary } from './multipart';

export function readBody(request: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks)));
		request.on('error', reject);
	});
}

/** 'text/csv; charset=utf-8' → 'text/csv' */
export function mediaType(contentType: string | undefined): string {
	return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export function headerValue(request: IncomingMessage, name: string): string | undefined {
	const value = request.headers[name.toLowerCase()];
	return Array.isArray(value) ? value.join(', ') : value;
}

/** The session id of an `Authorization: {sessionId}` or `Authorization: Bearer {sessionId}` header. */
export function authorizationToken(request: IncomingMessage): string | undefined {
	const value = headerValue(request, 'authorization')?.trim();
	return value ? value.replace(/^Bearer\s+/i, '') : undefined;
}

/** The text a log entry keeps of a body: CSV and form text (a password as ***), a multipart upload's file. */
export function loggableBody(body: Buffer, contentType: string | undefined): string | undefined {
	if (body.length === 0) return undefined;
	const type = mediaType(contentType);
	const text = body.toString('utf8');
	if (multipartBoundary(contentType)) return fileFromMultipart(body, contentType)?.content.toString('utf8') ?? text;
	if (type === 'application/x-www-form-urlencoded') return text.replace(/(^|&)password=[^&]*/g, '$1password=***');
	return text;
}
