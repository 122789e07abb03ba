type Listener = (value?: unknown) => void;

/**
 * The text of a file kept in the item as base64 (n8n's default binary mode), given to papaparse
 * as the Node readable stream it reads ('data', 'end', pause, resume), decoded a piece at a time (48 KiB unless asked).
 * As one whole-file string, each pause of papaparse (one per batch) cost it work over the rest of
 * the file: a 1,000,000-row file took minutes, and the decoded copies doubled its memory. A
 * character split between two pieces is decoded whole (TextDecoder's stream mode); base64 with
 * anything but its 64 letters and padding (line breaks, base64url) is decoded in one piece.
 */
export class Base64TextStream {
	readonly readable = true;
	private at = 0;
	private paused = false;
	private scheduled = false;
	private ended = false;
	private readonly decoder = new TextDecoder('utf-8');
	private readonly listeners = new Map<string, Listener[]>();
	private readonly pieceLength: number;

	/** `pieceBytes`: about how many bytes of the file to decode at a time */
	constructor(
		private readonly base64: string,
		pieceBytes = 49_152,
	) {
		// a multiple of 4 base64 characters decodes on its own
		const pieceLength = Math.max(4, Math.ceil(pieceBytes / 3) * 4);
		this.pieceLength = /[^A-Za-z0-9+/=]/.test(base64) ? Math.max(base64.length, 1) : pieceLength;
	}

	read(): null {
		return null;
	}

	/** it emits UTF-8 text already (TextDecoder), the only encoding parseCsv asks for ('utf8') */
	setEncoding(): this {
		return this;
	}

	on(event: string, listener: Listener): this {
		this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
		this.schedule();
		return this;
	}

	removeListener(event: string, listener: Listener): this {
		this.listeners.set(
			event,
			(this.listeners.get(event) ?? []).filter((known) => known !== listener),
		);
		return this;
	}

	pause(): this {
		this.paused = true;
		return this;
	}

	resume(): this {
		this.paused = false;
		this.schedule();
		return this;
	}

	/** flows on a microtask, so every listener is attached first and a resume does not recurse */
	private schedule() {
		if (this.scheduled || this.ended) return;
		this.scheduled = true;
		void Promise.resolve().then(() => {
			this.scheduled = false;
			this.flow();
		});
	}

	private flow() {
		while (!this.paused && this.at < this.base64.length) {
			const end = Math.min(this.base64.length, this.at + this.pieceLength);
			const text = this.decoder.decode(Buffer.from(this.base64.slice(this.at, end), 'base64'), {
				stream: true,
			});
			this.at = end;
			if (text) this.emit('data', text);
		}
		if (this.paused || this.ended) return;
		this.ended = true;
		const rest = this.decoder.decode();
		if (rest) this.emit('data', rest);
		this.emit('end');
	}

	private emit(event: string, value?: unknown) {
		for (const listener of this.listeners.get(event) ?? []) listener(value);
	}
}
