// Types of lib.mjs for the TypeScript bench parts.
export interface Figure {
  label: string;
  value: number | null;
  unit: string;
  display: string;
  anchor: string | null;
  budget: string | null;
  limit: number | null;
  op: '<=' | '>=' | null;
  status: 'ok' | 'FAIL' | 'info' | 'missing';
}
export interface PartResult {
  title: string;
  protocol: string;
  tables: { title: string; columns: string[]; rows: string[][] }[];
  figures: Figure[];
}
export const BENCH: string;
export const ROOT: string;
export const RESULTS: string;
export const DATA: string;
export function median(xs: number[]): number;
export function show(value: number, unit?: string, digits?: number, limit?: number, op?: '<=' | '>='): string;
export function figure(f: { label: string; value: number; unit?: string; digits?: number; anchor?: string; budget?: string; limit?: number; op?: '<=' | '>=' }): Figure;
export function lineOf(f: Figure): string;
export function writePart(part: string, result: PartResult): boolean;
export function machine(): { cpu: string; cores: number; ramGB: number; node: string; platform: string };
export function kB(n: number): number;
export function loadNow(): number;
