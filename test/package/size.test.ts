/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/**
 * The size rules of docs/development.md ("Checks", Size), checked over the source tree: no product file
 * (nodes/, credentials/) over 300 lines, no function, method or arrow function over 80. Read with
 * the TypeScript compiler's parser, not run: a file or function that grows past its limit fails
 * here, by name and line count, before review has to find it.
 */

const root = join(__dirname, '..', '..');
const FILE_LIMIT = 300;
const FUNCTION_LIMIT = 80;

function productFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return productFiles(path);
		return name.endsWith('.ts') ? [path] : [];
	});
}

/** Lines as `wc -l` counts them: a final newline ends the last line, it does not start another. */
function lineCount(text: string): number {
	return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** A function's name for the message: its own, its variable's or property's, else `(anonymous)`. */
function functionName(node: ts.Node): string {
	const named = node as ts.Node & { name?: ts.Node };
	if (named.name && ts.isIdentifier(named.name)) return named.name.text;
	if (ts.isConstructorDeclaration(node)) return 'constructor';
	const parent = node.parent;
	if (
		parent &&
		(ts.isVariableDeclaration(parent) ||
			ts.isPropertyAssignment(parent) ||
			ts.isPropertyDeclaration(parent)) &&
		ts.isIdentifier(parent.name)
	)
		return parent.name.text;
	return '(anonymous)';
}

interface Finding {
	file: string;
	what: string;
	lines: number;
}

/** Every function-like node of a file longer than the limit: its span from its first token (its doc comment not counted) to its last. */
function longFunctions(file: string, text: string): Finding[] {
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
	const found: Finding[] = [];
	const visit = (node: ts.Node) => {
		if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
			const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
			const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
			const lines = last - first + 1;
			if (lines > FUNCTION_LIMIT)
				found.push({ file, what: `${functionName(node)} (line ${first + 1})`, lines });
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

const files = ['nodes', 'credentials'].flatMap((dir) => productFiles(join(root, dir)));

describe('the size rules over nodes/ and credentials/', () => {
	it('finds the product files (the check reads something)', () => {
		expect(files.length).toBeGreaterThan(50);
	});

	it(`has no product file over ${FILE_LIMIT} lines`, () => {
		const tooLong = files
			.map((path) => ({ file: relative(root, path), lines: lineCount(readFileSync(path, 'utf8')) }))
			.filter(({ lines }) => lines > FILE_LIMIT)
			.map(({ file, lines }) => `${file}: ${lines} lines`);
		expect(tooLong).toEqual([]);
	});

	it(`has no function, method or arrow function over ${FUNCTION_LIMIT} lines`, () => {
		const tooLong = files
			.flatMap((path) => longFunctions(relative(root, path), readFileSync(path, 'utf8')))
			.map(({ file, what, lines }) => `${file}: ${what}: ${lines} lines`);
		expect(tooLong).toEqual([]);
	});

	it('measures a function from its first token to its last, its doc comment aside', () => {
		const body = Array.from({ length: FUNCTION_LIMIT - 2 }, (_, i) => `\tconst a${i} = ${i};`).join(
			'\n',
		);
		const fits = `/**\n * doc\n */\nfunction fits() {\n${body}\n}\n`;
		const over = `const over = () => {\n${body}\n\tconst extra = 0;\n};\n`;
		expect(longFunctions('fits.ts', fits)).toEqual([]);
		expect(longFunctions('over.ts', over)).toEqual([
			{ file: 'over.ts', what: 'over (line 1)', lines: FUNCTION_LIMIT + 1 },
		]);
	});
});
