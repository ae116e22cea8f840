/**
 * A small number per object, for memo keys built from object identity: parsed policies and
 * statements are shared objects, so "the same statements" is "the same numbers", without
 * serializing the documents.
 */
const numbers = new WeakMap<object, number>();
let next = 1;

export function objectNumber(o: object): number {
  let n = numbers.get(o);
  if (n === undefined) {
    n = next++;
    numbers.set(o, n);
  }
  return n;
}
