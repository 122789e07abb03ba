import {
	ICredentialsHelper,
	injectDomainRestrictionFields,
	NodeHelpers,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type Workflow,
} from 'n8n-workflow';

/**
 * How preAuthentication's result is written to the store, as n8n versions do it:
 * - `merge` (n8n 2.41.1): the new session merged into the credential as stored now;
 * - `startingCopy` (n8n 1.123.81's CredentialsHelper.preAuthentication): the execution's own copy
 *   of the credential, as it read it when it started, with the new session, written over what is
 *   stored (an edit made meanwhile is lost).
 */
export type PreAuthWriteBack = 'merge' | 'startingCopy';

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/**
 * Behaves like n8n's CredentialsHelper (packages/cli/src/credentials-helper.ts) for the parts a
 * session credential touches: preAuthentication runs when the expirable field is empty or
 * expired, its result is persisted to the store, and the generic `authenticate` is applied
 * by resolving its expressions against the credential. Storage is a Map instead of a database.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	readonly store = new Map<string, StoredCredential>();
	/** every persisted update, in order, as n8n would write it to the database */
	readonly updates: Array<{ id: string; data: ICredentialDataDecryptedObject }> = [];

	constructor(
		private readonly types: Record<string, ICredentialType>,
		private readonly writeBack: PreAuthWriteBack = 'merge',
	) {
		super();
	}

	add(credential: StoredCredential): void {
		this.store.set(credential.id, { ...credential, data: { ...credential.data } });
	}

	/** As n8n's CredentialTypes: the types a credential `extends`, and theirs (n8n-core routes oAuth2Api children to its OAuth2 helpers). */
	getParentTypes(name: string): string[] {
		const parents = this.types[name]?.extends ?? [];
		return [...parents, ...parents.flatMap((parent) => this.getParentTypes(parent))];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incoming as IHttpRequestOptions;
		const authenticate = this.type(typeName).authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate?.type !== 'generic') return requestOptions;
		if (!workflow || !node) throw new Error('Workflow and node are required for generic authentication');
		for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
			const target = ((requestOptions as unknown as Record<string, Record<string, unknown>>)[outerKey] ??= {});
			for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
				const resolve = (text: string) =>
					text.startsWith('=')
						? String(workflow.expression.getSimpleParameterValue(node, text, 'internal', { $credentials: credentials }, undefined, '') ?? '')
						: text;
				target[resolve(key)] = resolve(value);
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.type(typeName);
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof credentialType.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const nodeCredentials = node.credentials?.[typeName];
		if (!nodeCredentials) return undefined;
		const stored = this.storedFor(nodeCredentials);
		const base = this.writeBack === 'merge' ? stored.data : credentials;
		stored.data = { ...base, ...(output as ICredentialDataDecryptedObject) };
		this.updates.push({ id: stored.id, data: { ...stored.data } });
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const preAuthentication = this.type(typeName).preAuthentication;
		if (typeof preAuthentication !== 'function') return undefined;
		return (await preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const stored = this.storedFor(nodeCredentials);
		return {
			id: stored.id,
			name: stored.name,
			type,
			data: undefined,
			getData: () => ({ ...stored.data }),
			getDataToSave: () => ({ id: stored.id, name: stored.name, type, data: '' }),
			setData: (data: ICredentialDataDecryptedObject) => {
				stored.data = { ...data };
			},
		} as unknown as ICredentials;
	}

	async getDecrypted(
		_additionalData: unknown,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.storedFor(nodeCredentials);
		// n8n fills in the defaults of fields the stored credential does not have
		const withDefaults = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			stored.data as never,
			true,
			false,
			null,
			null,
		);
		// as n8n's applyDefaultsAndOverwrites: the OAuth token data is no property, so it is put back
		const decrypted: ICredentialDataDecryptedObject = { ...(withDefaults as ICredentialDataDecryptedObject) };
		if (stored.data.oauthTokenData !== undefined) decrypted.oauthTokenData = stored.data.oauthTokenData;
		return decrypted;
	}

	async updateCredentials(nodeCredentials: INodeCredentialsDetails, _type: string, data: ICredentialDataDecryptedObject) {
		const stored = this.storedFor(nodeCredentials);
		stored.data = { ...data };
		this.updates.push({ id: stored.id, data: { ...data } });
	}

	/** As n8n's CredentialsHelper.updateCredentialsOauthTokenData: only the token data is written to the stored credential. */
	async updateCredentialsOauthTokenData(nodeCredentials: INodeCredentialsDetails, _type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		const stored = this.storedFor(nodeCredentials);
		stored.data = { ...stored.data, oauthTokenData: data.oauthTokenData };
		this.updates.push({ id: stored.id, data: { ...stored.data } });
	}

	/**
	 * As n8n's CredentialTypes loader: a type's properties after those of the types it extends (its own
	 * win by name), and "Allowed HTTP Request Domains" for every credential with an `authenticate` or an OAuth parent.
	 */
	getCredentialsProperties(type: string): INodeProperties[] {
		const own = this.type(type);
		const inherited = (own.extends ?? []).flatMap((parent) => this.getCredentialsProperties(parent));
		const merged = [...inherited.filter((property) => !own.properties.some((mine) => mine.name === property.name)), ...own.properties];
		return injectDomainRestrictionFields({ ...own, properties: merged });
	}

	/** the credential type by name, as n8n's CredentialTypes.getByName */
	credentialType(name: string): ICredentialType {
		return this.type(name);
	}

	private type(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}

	private storedFor(nodeCredentials: INodeCredentialsDetails): StoredCredential {
		const stored = nodeCredentials.id ? this.store.get(nodeCredentials.id) : undefined;
		if (!stored) throw new Error(`No credential with id ${String(nodeCredentials.id)}`);
		return stored;
	}
}
