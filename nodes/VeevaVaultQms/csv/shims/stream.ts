/**
 * Bundled in place of Node's `stream` module in papaparse's code (gulpfile.js, build:bundle).
 * papaparse requires it only to build a Duplex for Papa.parse(Papa.NODE_STREAM_INPUT), a mode
 * this node never uses (it hands papaparse a readable stream or a string); should it ever be
 * asked for, it fails loudly instead of loading a module that n8n's scanner does not allow.
 */
export class Duplex {
	constructor() {
		throw new Error(
			'Papa.parse(Papa.NODE_STREAM_INPUT) is not available in this package: papaparse is bundled without Node streams',
		);
	}
}
