// Every CSV the node writes or reads goes through papaparse's RFC 4180 implementation, imported
// only here. papaparse is a devDependency: `npm run build` bundles it into this module's output
// (gulpfile.js, build:bundle), so the published package has no runtime dependencies (see docs/development.md,
// "Dependencies"). The bundle swaps papaparse's Node-only bits for the stand-ins in ./shims.
import Papa from 'papaparse';

export { Papa };
