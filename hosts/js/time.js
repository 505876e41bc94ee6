// Time as tsmkit prints it: ISO 8601 UTC, as in the vendors' collateral.

/** ISO 8601 UTC, without the milliseconds when they are zero: "2025-01-02T03:04:05Z". */
export const isoTime = (d) => d.toISOString().replace(/\.000Z$/, "Z");

/** ISO 8601 UTC truncated to whole seconds, as Intel PCS writes issueDate/nextUpdate. */
export const isoSeconds = (d) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
