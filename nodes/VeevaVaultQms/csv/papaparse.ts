// papaparse is this package's one declared runtime dependency (see README, "Dependencies"):
// every CSV the node writes or reads goes through a real RFC 4180 parser, imported only here.
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
import Papa from 'papaparse';

export { Papa };
