/**
 * The VQL tokenizer. The query text is only ever read token by token: no value from it is pasted into
 * anything that is evaluated.
 */

export type TokenKind = 'word' | 'string' | 'number' | 'punct' | 'end';

export interface Token {
	kind: TokenKind;
	/** the source text of the token (a string literal with its quotes and escapes) */
	text: string;
	/** a string literal's value after unescaping; a number's text */
	value: string;
	/** offset of the token's first character in the query */
	at: number;
}

/** A query Vault refuses; `at` is where the sandbox stopped reading (its answers name no position, as Vault's do not). */
export class VqlError extends Error {
	constructor(
		readonly at: number,
		readonly reason: string,
	) {
		super(reason);
	}
}

const WORD_START = /[A-Za-z_]/;
// field and object names, plus `.` so a relationship path (`application_role__vr.api_name__v`,
// `security_profile__sysr.name__v`) is one token: a table answers it if it lists the whole dotted name
// (the Quality Team member objects do), else it is refused as an unknown field by name
const WORD_PART = /[A-Za-z0-9_.]/;
/** a name, or names joined by single dots: `a__v`, `a__vr.b__v`; not `a__vr.`, `a..b` or `a.1b` */
const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const DIGIT = /[0-9]/;
const SPACE = /[ \t\r\n]/;

/**
 * Escapes inside a string literal (Veeva VQL reference, "Syntax Basics", Special Characters): `\\`,
 * `\'`, `\"`, `\%`, `\*` stand for the character; `\n`, `\t`, `\r` for line feed, tab, carriage
 * return; a quote may also be written twice (`''`). The page says an unescaped backslash "returns
 * error unless used in escape sequence", so a backslash before any other character is refused.
 * VAULT-API.md says only "string literals need their quotes and backslashes escaped"; the page's
 * table is the reading taken. (Before v21.3 escapes "were not standardized"; the sandbox treats every
 * version alike.)
 */
const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', '%': '%', '*': '*', n: '\n', t: '\t', r: '\r' };

/** The tokens of a query, read as they are asked for, so errors come in the order of the text. */
export function* tokenize(query: string): Generator<Token, Token> {
	let at = 0;
	while (at < query.length) {
		const char = query[at];
		if (SPACE.test(char)) {
			at++;
		} else if (WORD_START.test(char)) {
			const start = at;
			while (at < query.length && WORD_PART.test(query[at])) at++;
			const text = query.slice(start, at);
			if (!DOTTED_NAME.test(text)) throw new VqlError(start, `malformed name '${text}' (a relationship path is names joined by single dots)`);
			yield { kind: 'word', text, value: text, at: start };
		} else if (DIGIT.test(char) || (char === '-' && DIGIT.test(query[at + 1] ?? ''))) {
			const start = at;
			at++;
			while (at < query.length && DIGIT.test(query[at])) at++;
			if (query[at] === '.' && DIGIT.test(query[at + 1] ?? '')) {
				at++;
				while (at < query.length && DIGIT.test(query[at])) at++;
			}
			if (at < query.length && WORD_PART.test(query[at])) throw new VqlError(start, `unexpected '${query.slice(start, at + 1)}'`);
			const text = query.slice(start, at);
			yield { kind: 'number', text, value: text, at: start };
		} else if (char === "'") {
			const start = at;
			let value = '';
			at++;
			for (;;) {
				if (at >= query.length) throw new VqlError(start, 'unterminated string literal');
				const inside = query[at];
				if (inside === '\\') {
					const escaped = query[at + 1];
					if (escaped === undefined) throw new VqlError(start, 'unterminated string literal');
					if (!(escaped in ESCAPES)) throw new VqlError(at, `invalid escape sequence '\\${escaped}' in a string literal`);
					value += ESCAPES[escaped];
					at += 2;
				} else if (inside === "'") {
					if (query[at + 1] === "'") {
						value += "'";
						at += 2;
					} else {
						at++;
						break;
					}
				} else {
					value += inside;
					at++;
				}
			}
			yield { kind: 'string', text: query.slice(start, at), value, at: start };
		} else {
			const two = query.slice(at, at + 2);
			const text = ['!=', '<=', '>=', '<>'].includes(two) ? two : char;
			yield { kind: 'punct', text, value: text, at };
			at += text.length;
		}
	}
	return { kind: 'end', text: '', value: '', at: query.length };
}
