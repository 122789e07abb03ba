import { DEMO_USER, startSandbox, type RunningSandbox } from '../sandbox';

export const API = '/api/v25.3';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Envelope = Record<string, any>;

/**
 * For tests that speak to the sandbox directly (no node): the sandbox once per file, reset and
 * logged in as the demo user before each test; `post` sends with that session, `allPages` follows
 * a query's next_page to the end.
 */
export function useSandboxSession() {
	const context = {} as {
		sandbox: RunningSandbox;
		session: string;
		post(path: string, body?: URLSearchParams | FormData | string, headers?: Record<string, string>, method?: string): Promise<Envelope>;
		query(q: string): Promise<Envelope>;
		allPages(q: string): Promise<Envelope[]>;
	};
	context.post = async (path, body, headers = {}, method = 'POST') => {
		const all: Record<string, string> = { ...headers };
		if (context.session) all.Authorization = context.session;
		const response = await fetch(context.sandbox.url + path, { method, headers: all, body });
		return (await response.json()) as Envelope;
	};
	context.query = async (q) => await context.post(`${API}/query`, new URLSearchParams({ q }));
	context.allPages = async (q) => {
		const pages = [await context.query(q)];
		while (pages[pages.length - 1].responseDetails?.next_page) pages.push(await context.post(pages[pages.length - 1].responseDetails.next_page));
		return pages;
	};
	beforeAll(async () => {
		context.sandbox = await startSandbox();
	});
	afterAll(async () => {
		await context.sandbox.close();
	});
	beforeEach(async () => {
		await context.sandbox.client.reset();
		context.session = '';
		context.session = (await context.post(`${API}/auth`, new URLSearchParams({ username: DEMO_USER.username, password: DEMO_USER.password }))).sessionId;
	});
	return context;
}
