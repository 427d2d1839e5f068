/**
 * One counter for every kind, like etcd's revision: a resourceVersion orders all writes, so a
 * watch can resume from any version a list or a get returned.
 */
export class ResourceVersions {
  private current = 1;

  next(): number {
    this.current += 1;
    return this.current;
  }

  latest(): number {
    return this.current;
  }
}
