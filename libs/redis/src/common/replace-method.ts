/**
 * Puts `replacement` in a decorated method's place (a method decorator's wrapper), keeping what other
 * decorators recorded on the method (Nest's routes, guards, metadata) and its name.
 */
export function replaceMethod(descriptor: PropertyDescriptor, replacement: object): void {
  const method = descriptor.value as object;
  for (const key of Reflect.getMetadataKeys(method)) {
    Reflect.defineMetadata(key, Reflect.getMetadata(key, method), replacement);
  }
  Object.defineProperty(replacement, 'name', { value: (method as { name: string }).name });
  descriptor.value = replacement;
}
