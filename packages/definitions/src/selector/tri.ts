// Three-valued (Kleene) logic: a truncated or masked attribute makes a test *unknown*, and an
// unknown must survive `:not()` and lists without ever being rounded to true or false.

export const F = 0;
export const T = 1;
export const U = 2;
export type Tri = 0 | 1 | 2;

export function triNot(a: Tri): Tri {
  return a === U ? U : a === T ? F : T;
}
