import { tokenize, VqlError, type Token } from './lexer';

/**
 * The subset of VQL the sandbox answers (Veeva VQL reference: "SELECT", "FROM", "WHERE", "PAGESIZE",
 * "PAGEOFFSET", "CASEINSENSITIVE"):
 *
 *   SELECT field[, field...] FROM target [WHERE cond [AND cond...]] [ORDER BY field [ASC|DESC][, ...]]
 *     [PAGESIZE n] [PAGEOFFSET n]
 *   cond := field op 'text' | field op number | subject = 'text' | subject CONTAINS (value[, value...]),  op := = != < > <= >=
 *   subject := field | CASEINSENSITIVE(field)
 *   field := name | name.name[.name...]   (a relationship path, one token: see lexer.ts)
 *
 * CASEINSENSITIVE: "In v14.0+, use the CASEINSENSITIVE() function in the WHERE clause to bypass field
 * case sensitivity", written `WHERE CASEINSENSITIVE({field}) {operator} {value}` (VQL reference,
 * "Functions & Options", CASEINSENSITIVE). The page's one example uses `=`; its `{operator}` and the
 * Logical Operators page, whose CONTAINS example wraps the field in a function
 * (`WHERE TONAME(language__v) CONTAINS ('english__c', ...)`), are the reading that CONTAINS takes it too.
 *
 * Keywords are case-insensitive, field and object names case-sensitive ("Syntax Basics", Case
 * Sensitivity). Anything else Vault knows (OR, LIKE, IN, functions, ORDER BY RANK...) is refused as
 * unsupported by the sandbox, so a test never passes on a query Vault would read differently.
 */
export interface Literal {
	kind: 'string' | 'number';
	/** a string's unescaped value; a number's text */
	value: string;
}

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

export interface Condition {
	field: Token;
	operator: ComparisonOperator | 'CONTAINS';
	values: Literal[];
	/** written CASEINSENSITIVE(field): values match in any letter case */
	caseInsensitive?: boolean;
}

/** One ORDER BY key: `field [ASC|DESC]`, ascending unless DESC (Veeva VQL reference, "ORDER BY"). */
export interface OrderKey {
	field: Token;
	descending: boolean;
}

export interface ParsedQuery {
	fields: Token[];
	target: Token;
	where: Condition[];
	/** ORDER BY keys, primary first ("primary and secondary sorting": VQL reference, "Result Handling") */
	orderBy: OrderKey[];
	pagesize?: number;
	pageoffset?: number;
	/** the PAGESIZE number token, to point at when it is refused */
	pagesizeToken?: Token;
}

/** Clauses and operators of VQL the sandbox does not implement: named as unsupported when met. */
const UNSUPPORTED = new Set([
	'OR', 'NOT', 'LIKE', 'IN', 'BETWEEN', 'LIMIT', 'OFFSET', 'FIND', 'MAXROWS', 'SKIP', 'GROUP', 'HAVING',
	'AS', 'IS', 'NULL', 'LATESTVERSION', 'ALLVERSIONS', 'DISTINCT', 'UNION', 'JOIN',
]);
const KEYWORDS = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'CONTAINS', 'ORDER', 'BY', 'ASC', 'DESC', 'PAGESIZE', 'PAGEOFFSET', 'CASEINSENSITIVE']);
const SUBSET = 'the sandbox answers SELECT … FROM … [WHERE a = x AND b >= x AND c CONTAINS (x, y) AND CASEINSENSITIVE(d) = x] [ORDER BY a [ASC|DESC], …] [PAGESIZE n] [PAGEOFFSET n]';
/** Comparison operators (Veeva VQL reference, "Comparison Operators"; "Terminology": `created_date__v > '2014-12-20'`). */
const COMPARISONS: readonly string[] = ['=', '!=', '<', '>', '<=', '>='];

export function parseVql(query: string): ParsedQuery {
	const source = tokenize(query);
	let ahead: Token | undefined;
	const peek = (): Token => {
		if (!ahead) {
			const step = source.next();
			ahead = step.value;
		}
		return ahead;
	};
	const next = (): Token => {
		const token = peek();
		if (token.kind !== 'end') ahead = undefined;
		return token;
	};
	const isKeyword = (token: Token, keyword: string) => token.kind === 'word' && token.text.toUpperCase() === keyword;

	const unexpected = (token: Token, expected: string): VqlError => {
		if (token.kind === 'end') return new VqlError(token.at, `unexpected end of query, expected ${expected}`);
		const upper = token.text.toUpperCase();
		if (token.kind === 'word' && UNSUPPORTED.has(upper)) return new VqlError(token.at, `unsupported '${token.text}' (${SUBSET})`);
		if (token.kind === 'punct' && token.text === '<>') {
			return new VqlError(token.at, `unsupported operator '${token.text}' (${SUBSET})`);
		}
		if (token.kind === 'punct' && (token.text === '(' || token.text === ')')) {
			return new VqlError(token.at, `unexpected '${token.text}', expected ${expected} (the sandbox takes parentheses only around a CONTAINS list)`);
		}
		return new VqlError(token.at, `unexpected '${token.text}', expected ${expected}`);
	};
	const expectKeyword = (keyword: string) => {
		const token = next();
		if (!isKeyword(token, keyword)) throw unexpected(token, keyword);
	};
	const expectPunct = (text: string) => {
		const token = next();
		if (token.kind !== 'punct' || token.text !== text) throw unexpected(token, `'${text}'`);
	};
	const name = (what: string): Token => {
		const token = next();
		if (token.kind !== 'word' || KEYWORDS.has(token.text.toUpperCase()) || UNSUPPORTED.has(token.text.toUpperCase())) throw unexpected(token, what);
		if (peek().kind === 'punct' && peek().text === '(') throw new VqlError(token.at, `unsupported function '${token.text}()' (${SUBSET})`);
		return token;
	};
	const literal = (): Literal => {
		const token = next();
		if (token.kind === 'string' || token.kind === 'number') return { kind: token.kind, value: token.value };
		throw unexpected(token, 'a quoted string or a number');
	};
	const count = (clause: string): { value: number; token: Token } => {
		const token = next();
		if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw unexpected(token, `a whole number after ${clause}`);
		return { value: Number(token.text), token };
	};

	expectKeyword('SELECT');
	const fields = [name('a field name')];
	while (peek().kind === 'punct' && peek().text === ',') {
		next();
		fields.push(name('a field name'));
	}
	expectKeyword('FROM');
	const target = name('a query target (object name)');
	const where: Condition[] = [];
	if (isKeyword(peek(), 'WHERE')) {
		next();
		for (;;) {
			// CASEINSENSITIVE(field): the one function the sandbox takes, and only here (the page: "in the WHERE clause")
			const caseInsensitive = isKeyword(peek(), 'CASEINSENSITIVE');
			if (caseInsensitive) {
				next();
				expectPunct('(');
			}
			const field = name('a field name');
			if (caseInsensitive) expectPunct(')');
			const operator = next();
			if (operator.kind === 'punct' && COMPARISONS.includes(operator.text)) {
				// CASEINSENSITIVE with = only (and CONTAINS below): the page's example and its reading; other comparisons are not taken
				if (caseInsensitive && operator.text !== '=') throw new VqlError(operator.at, `unsupported operator '${operator.text}' after CASEINSENSITIVE() (${SUBSET})`);
				where.push({ field, operator: operator.text as ComparisonOperator, values: [literal()], ...(caseInsensitive ? { caseInsensitive } : {}) });
			} else if (isKeyword(operator, 'CONTAINS')) {
				expectPunct('(');
				const values = [literal()];
				while (peek().kind === 'punct' && peek().text === ',') {
					next();
					values.push(literal());
				}
				expectPunct(')');
				where.push({ field, operator: 'CONTAINS', values, ...(caseInsensitive ? { caseInsensitive } : {}) });
			} else {
				throw unexpected(operator, "a comparison operator (=, !=, <, >, <=, >=) or CONTAINS");
			}
			if (!isKeyword(peek(), 'AND')) break;
			next();
		}
	}
	const orderBy: OrderKey[] = [];
	if (isKeyword(peek(), 'ORDER')) {
		next();
		expectKeyword('BY');
		for (;;) {
			const field = name('a field name to order by');
			const direction = peek();
			const descending = isKeyword(direction, 'DESC');
			if (descending || isKeyword(direction, 'ASC')) next();
			orderBy.push({ field, descending });
			if (!(peek().kind === 'punct' && peek().text === ',')) break;
			next();
		}
	}
	const parsed: ParsedQuery = { fields, target, where, orderBy };
	for (;;) {
		const token = peek();
		if (isKeyword(token, 'PAGESIZE') && parsed.pagesize === undefined) {
			next();
			const size = count('PAGESIZE');
			parsed.pagesize = size.value;
			parsed.pagesizeToken = size.token;
		} else if (isKeyword(token, 'PAGEOFFSET') && parsed.pageoffset === undefined) {
			next();
			parsed.pageoffset = count('PAGEOFFSET').value;
		} else if (token.kind === 'end') {
			return parsed;
		} else {
			const clauses = parsed.orderBy.length > 0 ? '' : parsed.where.length > 0 ? 'AND, ORDER BY, ' : 'WHERE, ORDER BY, ';
			throw unexpected(token, `${clauses}PAGESIZE, PAGEOFFSET or the end of the query`);
		}
	}
}
