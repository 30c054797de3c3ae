/** Tables of event types, availability and bookings (migration 0007). */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the scheduling module's tables
export interface SchedulingTables {}
