/**
 * Sets an own, enumerable property. Plain assignment of a field named `__proto__` would replace
 * the object's prototype instead (a row from a file must never change what its object inherits).
 */
export function setField(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/** A field's own value: inherited names such as `constructor` or `valueOf` read as undefined. */
export function ownField(source: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(source, name) ? source[name] : undefined;
}
