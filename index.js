// n8n finds this package's node and credential through the "n8n" block of package.json;
// this entry point exists so that require('n8n-nodes-veeva-vault-qms') resolves.
module.exports = {};
