/** Tables of tasks, activities and notes (migration 0004). */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the timeline module's tables
export interface TimelineTables {}
