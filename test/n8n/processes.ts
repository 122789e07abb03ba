/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/** Child processes for the real-n8n run: n8n commands under Node 24, servers with their logs kept. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

import { chromium, type Browser } from 'playwright-core';

export interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
	ms: number;
}

/** the commands runCommand is running now (an `n8n execute` …), which stopAll() and killAllNow() stop too */
const commands = new Set<ChildProcess>();

/** Runs a command to its end; never throws for a non-zero exit (the caller judges). */
export async function runCommand(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; logFile?: string } = {},
): Promise<CommandResult> {
	const started = Date.now();
	return await new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		commands.add(child);
		const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
		log?.write(`\n$ ${command} ${args.join(' ')}\n`);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			log?.write(chunk);
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
			log?.write(chunk);
		});
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
		child.on('error', reject);
		child.on('close', (code) => {
			commands.delete(child);
			clearTimeout(timer);
			log?.end();
			resolve({ code, stdout, stderr, ms: Date.now() - started });
		});
	});
}

export interface Server {
	name: string;
	child: ChildProcess;
	logFile: string;
	/** everything it printed so far */
	output(): string;
	/** resolves with the first match of `pattern` in its output (past or future) */
	waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
	stop(): Promise<void>;
}

const running = new Set<Server>();

/** Starts a long-running process whose output goes to `logFile` and stays searchable. */
export function startServer(name: string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; logFile: string }): Server {
	const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
	const log = createWriteStream(options.logFile, { flags: 'a' });
	let text = '';
	const waiters: Array<() => void> = [];
	const onData = (chunk: Buffer) => {
		text += chunk.toString();
		log.write(chunk);
		for (const waiter of [...waiters]) waiter();
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	let exited = false;
	const exit = new Promise<void>((resolve) =>
		child.on('exit', (code, signal) => {
			exited = true;
			text += `\n[${name} exited: ${signal ?? code}]\n`;
			for (const waiter of [...waiters]) waiter();
			resolve();
		}),
	);
	const server: Server = {
		name,
		child,
		logFile: options.logFile,
		output: () => text,
		waitFor: async (pattern, timeoutMs = 120_000) =>
			await new Promise((resolve, reject) => {
				const check = () => {
					const match = text.match(pattern);
					if (match) return done(() => resolve(match));
					if (exited) return done(() => reject(new Error(`${name} exited before printing ${pattern}; see ${options.logFile}`)));
				};
				const timer = setTimeout(() => done(() => reject(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms; see ${options.logFile}`))), timeoutMs);
				const done = (then: () => void) => {
					clearTimeout(timer);
					const index = waiters.indexOf(check);
					if (index >= 0) waiters.splice(index, 1);
					then();
				};
				waiters.push(check);
				check();
			}),
		stop: async () => {
			running.delete(server);
			if (!exited) {
				child.kill('SIGTERM');
				const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
				await exit;
				clearTimeout(killer);
			}
			log.end();
		},
	};
	running.add(server);
	return server;
}

const browsers = new Set<Browser>();

/** Debian's Chromium, headless, for the editor checks; kept in the list stopAll() closes. */
export async function launchChromium(): Promise<Browser> {
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	browsers.add(browser);
	return browser;
}

export async function closeChromium(browser: Browser): Promise<void> {
	browsers.delete(browser);
	await browser.close();
}

/** Closes every browser still open, ends the commands still running, then stops every server (in reverse start order). */
export async function stopAll(): Promise<void> {
	for (const browser of [...browsers]) {
		browsers.delete(browser);
		await Promise.race([browser.close().catch(() => undefined), new Promise((done) => setTimeout(done, 10_000))]);
	}
	for (const child of commands) child.kill('SIGTERM');
	for (const server of [...running].reverse()) await server.stop().catch(() => undefined);
	for (const child of commands) child.kill('SIGKILL');
}

/**
 * The last resort when the program exits without stopAll() (process.exit in a crash handler that
 * could not wait): SIGKILL to every server still running, so none keeps the ports for the next run.
 * Synchronous, for process.on('exit'); Playwright closes the browsers it launched on exit itself.
 */
export function killAllNow(): void {
	const children = [...commands, ...[...running].map((server) => server.child)];
	for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const probe = createServer();
		probe.unref();
		probe.on('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => resolve(port));
		});
	});
}

/**
 * The environment of an n8n process this repo starts (test:n8n, bench:n8n): Node 24 first on the
 * PATH, its own user folder and encryption key, telemetry, banners and prompts off.
 */
export function n8nEnv(options: { nodeBin: string; userFolder: string; encryptionKey: string }, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return {
		...process.env,
		PATH: `${options.nodeBin}:${process.env.PATH}`,
		N8N_USER_FOLDER: options.userFolder,
		N8N_ENCRYPTION_KEY: options.encryptionKey,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_LOG_LEVEL: 'info',
		DB_SQLITE_POOL_SIZE: '2',
		...extra,
	};
}
