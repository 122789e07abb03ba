const MINORS_PER_YEAR = [1, 2, 3];

/** v21.1 … v26.2: the API versions the sandbox answers. */
export const API_VERSIONS: string[] = [21, 22, 23, 24, 25, 26].flatMap((major) =>
	MINORS_PER_YEAR.filter((minor) => major < 26 || minor <= 2).map((minor) => `v${major}.${minor}`),
);

export function isKnownVersion(version: string): boolean {
	return API_VERSIONS.includes(version);
}
