import { recordChangedEvent } from './recordChanged';
import { teamChangedEvent } from './teamChanged';
import type { TriggerEvent } from './types';

/**
 * The events the trigger offers, in the Event list's order. Quality Team Changed reads the member objects
 * and their fields from Vault's team definitions (read/teamLayout.ts, issue 22).
 */
export const TRIGGER_EVENTS: readonly TriggerEvent[] = [recordChangedEvent, teamChangedEvent];

export function findEvent(value: string): TriggerEvent | undefined {
	return TRIGGER_EVENTS.find((event) => event.value === value);
}
