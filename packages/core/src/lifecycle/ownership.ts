import { isOwnerDead, newOwnerId } from "./owner-id.js";

/**
 * Who this provider instance is, and whether another owner is certainly gone. The kit adopts or
 * removes an instance only when its owner is this one or gone; a live peer's instance is only
 * used, never taken. The default, {@link processOwnership}, names owners by host and process; a
 * provider spanning machines can back it with leases instead (a Kubernetes `Lease` per owner).
 *
 * @example
 * ```ts
 * const ownership = processOwnership();
 * await ownership.isGone(ownership.self); // false
 * ```
 */
export interface Ownership {
  /** This provider instance's owner id, as its instances are labelled with. */
  readonly self: string;
  /**
   * True only when `owner` is certainly gone. An owner that cannot be judged (another host, an
   * unparsable id) is alive: taking a live peer's instances is the worse mistake.
   */
  isGone(owner: string): Promise<boolean>;
}

/**
 * Owners named `{hostname}/{pid}/{startMs}/{instance}`: gone when that process on this host is
 * dead or its pid was reused. Owners on other hosts are never declared gone.
 *
 * @example
 * ```ts
 * const ownership = processOwnership();
 * ownership.self; // "myhost/1234/1700000000000/1a2b3c4d"
 * ```
 */
export function processOwnership(self: string = newOwnerId()): Ownership {
  return { self, isGone: async (owner) => owner !== self && isOwnerDead(owner) };
}
