// Stands in for Ponder's virtual "ponder:registry" module when the handler files are imported by
// a unit test: it only records which "Contract:Event" names get a handler.
export const registered = new Set<string>();

export const ponder = {
  on(name: string, _handler: unknown) {
    if (registered.has(name)) throw new Error(`${name} has two handlers`);
    registered.add(name);
  },
};
