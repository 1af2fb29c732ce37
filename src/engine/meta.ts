/**
 * An event's meta word (an Int32 stored beside its arg): its kind (0..MAX_KIND) when it has no handle; DIRECT + kind
 * for a calendar event with a direct handle (the handle names its record); −(handle slot + 1) when its handle is in
 * the handle table (the kind is then there too); CANCELLED once cancelled; FREE marks an unused slot.
 */
export const MAX_KIND = 0xffff;
export const DIRECT = 2 ** 30;
export const CANCELLED = -(2 ** 31);
export const FREE = 2 ** 31 - 1;
