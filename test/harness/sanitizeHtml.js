/**
 * sanitize-html, the real package, loaded by Node's own require (jest.config.js maps the name
 * here). n8n's Wait node (the approval form of examples/hr-termination-remove-everywhere.json)
 * loads it through n8n's Form utils; its HTML parser (htmlparser2 and helpers) ships as ES modules
 * only, which Node 20.19+ requires and jest's CommonJS module loader does not.
 */
const { createRequire } = require('node:module');

module.exports = createRequire(__filename)('sanitize-html');
