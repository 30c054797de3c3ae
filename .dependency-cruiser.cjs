/**
 * The floors of src/ and the one direction imports run (decision 0025). Lower floors never import higher
 * ones; the few listed exceptions carry their reason in docs/decisions/0025-layer-rules.md.
 *
 *   lib                    domain-free helpers (ids, clock, crypto)            imports nothing of ours
 *   core                   shared contracts: tenancy, errors, pagination, ...  lib
 *   slot-engine            pure availability and slot arithmetic              core, lib
 *   db                     database adapter, migrations, table types          core, lib
 *   config.ts              settings from the environment                       db (its target type), core, lib
 *   ratelimit              the limiter interface and its stores               config, core, lib
 *   outbox                 emit and the event catalog's building blocks       db, core, lib
 *   modules                domain: routes -> service -> repo per noun         outbox, db, ratelimit, slot-engine, config, core, lib
 *   webhook-worker,        background roles: deliveries; purges                modules and below
 *   housekeeping
 *   http                   Fastify plumbing: auth, error handler, hooks        modules and below
 *   app.ts, deps.ts        the app and its wiring                              everything but cli, main
 *   cli, main.ts           commands and the process entry                      everything
 */
const floor = (dirs) => `^src/(${dirs.join('|')})(/|\\.ts$)`
const LOW = ['lib', 'core', 'slot-engine', 'config', 'db', 'ratelimit', 'outbox']

/** Files under `from` may import only from `from` itself and the `allowed` floors. */
const only = (name, from, allowed, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: floor(from) },
  to: { path: '^src/', pathNot: floor([...from, ...allowed]) },
})

/**
 * The accepted exceptions, each explained in docs/decisions/0025-layer-rules.md (at most 6). Today there is one:
 * a type-only circle between two email services, left to the email module's owner (see the decision).
 */
const circleExceptions = [
  { from: 'src/modules/email/emails\\.service\\.ts', to: 'src/modules/email/templates\\.service\\.ts' },
]

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle makes load order matter and hides which file owns what.',
      from: { path: '^src/', pathNot: `^(${circleExceptions.flatMap((e) => [e.from, e.to]).join('|')})$` },
      to: { circular: true },
    },
    only('lib', ['lib'], [], 'lib/ is domain-free: it imports nothing of ours.'),
    only('core', ['core'], ['lib'], 'core/ holds the contracts every floor shares; it stands on lib only.'),
    only('slot-engine', ['slot-engine'], ['core', 'lib'], 'slot arithmetic is pure: no database, no HTTP.'),
    only('db', ['db'], ['core', 'lib'], 'db/ is the adapter and schema under every repository.'),
    only('config', ['config'], ['db', 'core', 'lib'], 'config.ts reads the environment; it knows no module.'),
    only('ratelimit', ['ratelimit'], ['config', 'core', 'lib'], 'limiters are infrastructure behind an interface.'),
    only(
      'outbox',
      ['outbox'],
      ['db', 'config', 'core', 'lib'],
      'the outbox writes events for modules; it imports none.',
    ),
    only(
      'modules',
      ['modules'],
      LOW,
      'modules stand on the floors below; Fastify plumbing (http/) wires them, not the reverse.',
    ),
    only(
      'workers',
      ['webhook-worker', 'housekeeping'],
      [...LOW, 'modules'],
      'background roles use modules and the floors below; only app/deps/cli start them.',
    ),
    only('http', ['http'], [...LOW, 'modules'], 'http/ is plumbing above the modules; app.ts hands it what it needs.'),
    {
      name: 'app-and-deps',
      comment: 'app.ts and deps.ts build the app; the CLI and main.ts use them, never the reverse.',
      severity: 'error',
      from: { path: '^src/(app|deps)\\.ts$' },
      to: { path: '^src/(cli/|main\\.ts$)' },
    },
    {
      name: 'cli',
      comment: 'main.ts is the entry: nothing imports it.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'widgets-stand-alone',
      comment: 'widgets/ is browser code bundled on its own: it imports nothing of the server.',
      severity: 'error',
      from: { path: '^src/widgets/' },
      to: { path: '^src/(?!widgets/)' },
    },
  ],
  options: {
    includeOnly: '^src/',
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
}
