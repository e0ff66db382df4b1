// Types of report.mjs (used by readme.test.ts).
export function markdown(latest: unknown, level?: number): string;
export const README_BEGIN: string;
export const README_END: string;
export function readmeBlock(latest: unknown): string;
