import tseslint from 'typescript-eslint';
import jsoncParser from 'jsonc-eslint-parser';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const communityRecommended = n8nCommunityNodesPlugin.configs.recommended;

// papaparse is this package's one runtime dependency: the CSV Vault takes has to be written and
// read by a real RFC 4180 parser, and n8n-workflow offers none. Self-hosted n8n installs runtime
// dependencies of community packages; only n8n's verified-node programme forbids them.
const allowPapaparse = { '@n8n/community-nodes/no-runtime-dependencies': 'off' };

// Where the legacy n8n-nodes-base rules contradict n8n's current community-nodes plugin, the
// current one wins: the legacy inputs/outputs rules demand the string literal 'main', which
// node-connection-type-literal forbids (NodeConnectionTypes.Main is required instead); and
// documentationUrl-miscased is, by its own description, only for nodes in n8n's main repository
// (it wants a slug, while a community credential must link a full URL).
const legacyRulesContradicted = {
	'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
	'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
	'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
};

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/**', 'bench/**', 'examples/**', '*.js', '*.mjs'] },
	{
		files: ['credentials/**/*.ts', 'nodes/**/*.ts'],
		languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
		plugins: { ...communityRecommended.plugins, 'n8n-nodes-base': n8nNodesBase },
		rules: { ...communityRecommended.rules, ...allowPapaparse },
	},
	{
		files: ['credentials/**/*.credentials.ts'],
		rules: { ...n8nNodesBase.configs.credentials.rules, ...legacyRulesContradicted },
	},
	{
		files: ['nodes/**/*.node.ts', 'nodes/**/operations/*.ts', 'nodes/**/descriptions/*.ts'],
		rules: { ...n8nNodesBase.configs.nodes.rules, ...legacyRulesContradicted },
	},
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins: { ...communityRecommended.plugins, 'n8n-nodes-base': n8nNodesBase },
		rules: { ...communityRecommended.rules, ...n8nNodesBase.configs.community.rules, ...allowPapaparse },
	},
];
