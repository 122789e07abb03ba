import type { FaultSpec } from '../types';

interface ArmedFault {
	spec: FaultSpec;
	remaining: number;
	toSkip: number;
}

/** Faults waiting for requests to hit. */
export class Faults {
	private armed: ArmedFault[] = [];

	add(specs: FaultSpec[]): void {
		for (const spec of specs) this.armed.push({ spec: { ...spec }, remaining: spec.count ?? 1, toSkip: spec.skip ?? 0 });
	}

	/**
	 * The fault this request triggers, if any. Matching faults still skipping count the request as
	 * one they let pass; the first matching fault with nothing left to skip fires.
	 */
	take(method: string, path: string): FaultSpec | undefined {
		for (const fault of this.armed) {
			if (!matches(fault.spec, method, path)) continue;
			if (fault.toSkip > 0) {
				fault.toSkip--;
				continue;
			}
			fault.remaining--;
			if (fault.remaining <= 0) this.armed = this.armed.filter((other) => other !== fault);
			return fault.spec;
		}
		return undefined;
	}

	clear(): void {
		this.armed = [];
	}
}

function matches(spec: FaultSpec, method: string, path: string): boolean {
	if (spec.match?.method && spec.match.method.toUpperCase() !== method.toUpperCase()) return false;
	return !spec.match?.path || path.includes(spec.match.path);
}
