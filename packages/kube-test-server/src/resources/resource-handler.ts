import type { PatchType } from "../http/patch.js";
import type { KubeObject, ObjectStore } from "../store/object-store.js";

/** What a DELETE carries: `gracePeriodSeconds` (query or body) and preconditions. */
export interface DeleteRequest {
  gracePeriodSeconds: number | undefined;
  preconditions: { uid?: string; resourceVersion?: string } | undefined;
}

/** The verbs of one resource; list, get and watch are served from `store` by the router. */
export interface ResourceHandler {
  // biome-ignore lint/suspicious/noExplicitAny: one router serves stores of several kinds
  store: ObjectStore<any>;
  create(namespace: string, body: unknown): Promise<KubeObject>;
  /** PUT; absent when the resource takes no updates here (405). */
  replace?(namespace: string, name: string, body: unknown): KubeObject;
  delete(namespace: string, name: string, request: DeleteRequest): Promise<object>;
  /** PATCH; absent when the resource takes no patches here (405). */
  patch?(namespace: string, name: string, request: PatchRequest): KubeObject;
}

/** PATCH: the patch is applied to the stored object, then the handler keeps what it allows. */
export interface PatchRequest {
  type: PatchType;
  body: unknown;
}
