/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	setupFiles: ['<rootDir>/test/setup-env.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
	// n8n's Wait node needs sanitize-html, whose parser is ES modules only: loaded by Node itself (test/harness/sanitizeHtml.js)
	moduleNameMapper: { '^sanitize-html$': '<rootDir>/test/harness/sanitizeHtml.js' },
	testTimeout: 60000,
};
