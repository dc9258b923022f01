/** Where "now" comes from: the system clock in production, a fixed or stepped one in tests. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A calendar day in milliseconds (the platform counts days without a status change in these). */
export const DAY_MS = 86_400_000;
