/**
 * An event's meta word (an Int32 stored beside its arg): its kind (0..MAX_KIND) when it has no handle; −(handle slot
 * + 1) when it has one (the kind is then in the handle table); CANCELLED once cancelled; FREE marks an unused slot.
 */
export const MAX_KIND = 0xffff;
export const CANCELLED = -(2 ** 31);
export const FREE = 2 ** 31 - 1;
