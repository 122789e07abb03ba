/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * The sandbox as a process of its own: `npm run sandbox` (with --demo: the Vault the examples and
 * `npm run demo` use, and a list of what it holds), test:n8n and the benchmarks (without: the bare
 * generated data, which their own seeds build on).
 */
import { DEMO_SEED, DEMO_SETTINGS, describeDemoVault } from './demoVault';
import { DEMO_USER, SANDBOX_USERS, startSandbox, type SandboxSettingsPatch } from './index';

const USAGE = "usage: ts-node --transpile-only test/sandbox/main.ts [--demo] [--port 8470] [--port2 8471] [--host 127.0.0.1] [--settings '{\"jobRunMs\":0}']";

interface CliOptions {
	host: string;
	ports: number[];
	settings: SandboxSettingsPatch;
	demo: boolean;
}

function parseArguments(args: string[]): CliOptions {
	const options: CliOptions = { host: '127.0.0.1', ports: [8470, 8471], settings: {}, demo: false };
	for (let i = 0; i < args.length; i++) {
		if (args[i] === '--demo') {
			options.demo = true;
			continue;
		}
		const [flag, inline] = args[i].split(/=(.*)/s, 2);
		const value = inline ?? args[++i];
		if (value === undefined) throw new Error(`${flag} needs a value`);
		if (flag === '--port') options.ports[0] = port(value);
		else if (flag === '--port2') options.ports[1] = port(value);
		else if (flag === '--host') options.host = value;
		else if (flag === '--settings') options.settings = JSON.parse(value) as SandboxSettingsPatch;
		else throw new Error(`unknown option ${flag}`);
	}
	return options;
}

function port(text: string): number {
	const value = Number(text);
	if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`not a port: ${text}`);
	return value;
}

async function main(): Promise<void> {
	let options: CliOptions;
	try {
		options = parseArguments(process.argv.slice(2));
	} catch (error) {
		console.error(`${(error as Error).message}\n${USAGE}`);
		process.exit(2);
	}
	// the demo's settings are the start settings (a control-API reset returns to them); --settings goes over them
	const settings = options.demo ? { ...DEMO_SETTINGS, ...options.settings } : options.settings;
	const sandbox = await startSandbox({ ...options, settings });
	if (options.demo) await sandbox.client.seed(DEMO_SEED);
	const [first, second] = sandbox.vaults;
	console.log(`Veeva Vault API sandbox${options.demo ? ': the demo Vault (npm run demo and the examples use the same)' : ''}`);
	console.log(`  Vault ${first.id} "${first.name}": ${first.url}`);
	console.log(`  Vault ${second.id} "${second.name}": ${second.url}`);
	console.log(`  Demo login: ${DEMO_USER.username} / ${DEMO_USER.password}`);
	const { profileId, accessToken } = SANDBOX_USERS.oauth;
	console.log(`  OAuth: profile id ${profileId}, access token ${accessToken} (POST ${first.url}/auth/oauth/session/${profileId})`);
	console.log(`  Control API: ${sandbox.controlUrl}`);
	console.log(`  Redirect target (records what reaches it): ${sandbox.elsewhereUrl}`);
	if (options.demo) {
		console.log('What it holds:');
		for (const text of describeDemoVault(first.url)) console.log(`  ${text}`);
		console.log('  (a reset through the control API drops the demo teams: restart npm run sandbox to get them back)');
	}
	console.log(`SANDBOX_READY ${JSON.stringify({ vaults: sandbox.vaults, controlUrl: sandbox.controlUrl, elsewhereUrl: sandbox.elsewhereUrl })}`);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`Sandbox stopping (${signal})`);
		sandbox.close().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
	console.error('Sandbox failed to start:', error instanceof Error ? error.message : error);
	process.exit(1);
});
