/** The scheduling slot engine: availability shapes and checks, slot computation. No database, no HTTP. */
export * from './availability.js'
export { localDateOf, wallTimeToMs } from './local-time.js'
export * from './slots.js'
