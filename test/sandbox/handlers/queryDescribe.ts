import type { SessionContext } from '../http/apiContext';
import { headerValue } from '../http/incoming';
import { json, type VaultResponse } from '../http/vaultResponse';
import { relationshipOf } from '../qualityTeams';
import { objectSummaries } from './metadata';
import { objectFields, type FieldSpec } from './objectFields';

/**
 * `X-VaultAPI-DescribeQuery: true` on a submitted query: "Set to true to include static field metadata in
 * the response" (Veeva API reference, "Submitting a Query"); the answer gains `queryDescribe`, placed as
 * the VQL reference's example has it ("VQL API Headers": `{"responseStatus":"SUCCESS","queryDescribe":{"type":
 * "select__sys","object":{"name","label","label_plural"},"fields":[{"type":"id","required":true,"name":"id"},
 * {"label":"Name","type":"String","required":true,"name":"name__v"}]},"responseDetails":…,"data":…}`). Each
 * selected field is described as Retrieve Object Metadata describes it (handlers/objectFields.ts); a field
 * read through a relationship (`team_role__sysr.api_name__v`) as the referenced object's field, under the
 * name selected (the sandbox's reading: the page shows no relationship). A FAILURE and page URLs are left as they are.
 */
export function withQueryDescribe(context: SessionContext, target: string, selected: readonly string[], answer: VaultResponse): VaultResponse {
	if (headerValue(context.request, 'x-vaultapi-describequery')?.trim().toLowerCase() !== 'true') return answer;
	const envelope = JSON.parse(answer.body) as Record<string, unknown>;
	if (envelope.responseStatus !== 'SUCCESS') return answer;
	const { directory, settings } = context.world;
	const summary = objectSummaries(directory).find((object) => object.name === target);
	const fields = objectFields(directory, settings, target) ?? [];
	const describe = (name: string): Record<string, unknown> => {
		const [head, tail] = name.split('.');
		const own = fields.find((field) => (tail === undefined ? field.name === head : field.references !== undefined && relationshipOf(field.name) === head));
		const referenced = own?.references === undefined ? undefined : objectFields(directory, settings, own.references);
		const spec = tail === undefined ? own : referenced?.find((field) => field.name === tail);
		return describedField(name, spec);
	};
	const queryDescribe = {
		type: 'select__sys',
		object: { name: target, label: summary?.label ?? target, label_plural: summary?.label_plural ?? target },
		fields: selected.map(describe),
	};
	const { responseStatus, ...rest } = envelope;
	return { ...json(answer.status, { responseStatus, queryDescribe, ...rest }), headers: answer.headers };
}

/** `{"type":"id","required":true,"name":"id"}` for the id, `{label, type, required, name}` for the others; a field not described is a String. */
function describedField(name: string, spec: FieldSpec | undefined): Record<string, unknown> {
	if (spec?.type === 'ID') return { type: 'id', required: true, name };
	return { label: spec?.label ?? name, type: spec?.type ?? 'String', required: spec?.required ?? false, name };
}
