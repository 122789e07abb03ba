/** An answer before it is written: the pipeline adds headers, applies faults and logs it. */
export interface VaultResponse {
	status: number;
	contentType: string;
	body: string;
	headers?: Record<string, string>;
	/** for the log, when the body is not the JSON envelope */
	responseStatus?: string;
	errorType?: string;
	jobId?: number;
}

export type VaultErrorType =
	| 'INVALID_SESSION_ID'
	| 'API_LIMIT_EXCEEDED'
	| 'INVALID_DATA'
	| 'INCORRECT_QUERY_SYNTAX_ERROR'
	| 'PARAMETER_REQUIRED'
	| 'INSUFFICIENT_ACCESS'
	| 'USERNAME_OR_PASSWORD_INCORRECT'
	| 'USER_LOCKED_OUT'
	| 'PASSWORD_CHANGE_REQUIRED'
	| 'INACTIVE_USER'
	| 'NO_PASSWORD_PROVIDED'
	| 'MALFORMED_URL'
	| 'METHOD_NOT_SUPPORTED'
	| 'EXCEEDS_FILE_MAX_SIZE';

export function json(status: number, envelope: Record<string, unknown>): VaultResponse {
	const errors = envelope.errors as Array<{ type?: string }> | undefined;
	return {
		status,
		contentType: 'application/json;charset=UTF-8',
		body: JSON.stringify(envelope),
		responseStatus: typeof envelope.responseStatus === 'string' ? envelope.responseStatus : undefined,
		errorType: errors?.[0]?.type,
	};
}

export function success(fields: Record<string, unknown> = {}): VaultResponse {
	return json(200, { responseStatus: 'SUCCESS', ...fields });
}

export function failure(type: VaultErrorType, message: string): VaultResponse {
	return json(200, { responseStatus: 'FAILURE', errors: [{ type, message }] });
}
