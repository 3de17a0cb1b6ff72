/** The job was taken over by another worker (its lease ran out): stop, write nothing more. */
export class LeaseLost extends Error {}
