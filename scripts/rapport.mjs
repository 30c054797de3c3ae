// The `rapport` command from a clone (`./rapport …`, or `node scripts/rapport.mjs …`): builds dist/
// first when a source changed (the same check as `npm start`'s, in this process: a directory walk
// of about 20 ms), then runs the built command. One Node.js start, where `npm run rapport` adds
// npm's own (about 1.5 s on a loaded 2-core machine) and `tsx` a TypeScript compile.
import { buildIfStale } from './build-if-stale.mjs'

await buildIfStale()
await import('../dist/src/main.js')
