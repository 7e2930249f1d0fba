/** A handler of one event type. */
export type Handler<T> = (payload: T) => void;

/**
 * Emitter is a small typed event emitter: Events maps each event name to
 * its payload. A handler that throws is reported and does not stop the
 * others.
 */
export class Emitter<Events> {
  readonly #handlers = new Map<keyof Events, Set<Handler<never>>>();

  /** on adds a handler and returns the function that removes it. */
  on<K extends keyof Events>(type: K, handler: Handler<Events[K]>): () => void {
    let set = this.#handlers.get(type);
    if (!set) this.#handlers.set(type, (set = new Set()));
    set.add(handler as Handler<never>);
    return () => this.off(type, handler);
  }

  /** off removes a handler. */
  off<K extends keyof Events>(type: K, handler: Handler<Events[K]>): void {
    this.#handlers.get(type)?.delete(handler as Handler<never>);
  }

  /** emit calls every handler of type with payload. */
  emit<K extends keyof Events>(type: K, payload: Events[K]): void {
    for (const handler of [...(this.#handlers.get(type) ?? [])]) {
      try {
        (handler as Handler<Events[K]>)(payload);
      } catch (err) {
        console.error(`proofstell: a ${String(type)} handler threw`, err);
      }
    }
  }
}
