/** Tables of the aube domain, merged into `Database`. Add one property per table. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in as the domain grows
export interface AubeTables {}
