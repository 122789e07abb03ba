import { recordChangedEvent } from './recordChanged';
import type { TriggerEvent } from './types';

/**
 * The events the trigger offers, in the Event list's order. Quality Team Changed (`teamChanged`, issue 25)
 * joins here once the team definitions are read from Vault (issue 22): it needs the member objects and
 * their fields, which that reader gives.
 */
export const TRIGGER_EVENTS: readonly TriggerEvent[] = [recordChangedEvent];

export function findEvent(value: string): TriggerEvent | undefined {
	return TRIGGER_EVENTS.find((event) => event.value === value);
}
