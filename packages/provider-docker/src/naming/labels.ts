/** Every label this provider sets is namespaced under this prefix. */
export const LABEL_NAMESPACE = "dev.sandbox";

/** Label keys on every container this provider creates. */
export const LABELS = {
  provider: `${LABEL_NAMESPACE}.provider`,
  prefix: `${LABEL_NAMESPACE}.prefix`,
  sandboxId: `${LABEL_NAMESPACE}.sandbox-id`,
  thread: `${LABEL_NAMESPACE}.thread`,
  user: `${LABEL_NAMESPACE}.user`,
  configHash: `${LABEL_NAMESPACE}.config-hash`,
  owner: `${LABEL_NAMESPACE}.owner`,
  transport: `${LABEL_NAMESPACE}.transport`,
  anonymous: `${LABEL_NAMESPACE}.anonymous`,
} as const;

/** What the labels of one container say. */
export interface ContainerLabels {
  prefix: string;
  sandboxId: string;
  threadId: string | undefined;
  userId: string;
  configHash: string;
  owner: string;
  transport: "exec" | "aio";
}

/** The labels to create a container with. */
export function buildLabels(labels: ContainerLabels): Record<string, string> {
  return {
    [LABELS.provider]: "docker",
    [LABELS.prefix]: labels.prefix,
    [LABELS.sandboxId]: labels.sandboxId,
    ...(labels.threadId === undefined
      ? { [LABELS.anonymous]: "true" }
      : { [LABELS.thread]: labels.threadId }),
    [LABELS.user]: labels.userId,
    [LABELS.configHash]: labels.configHash,
    [LABELS.owner]: labels.owner,
    [LABELS.transport]: labels.transport,
  };
}

/** Reads a container's labels back; `undefined` when they are not ours. */
export function parseLabels(
  labels: Record<string, string> | undefined,
): ContainerLabels | undefined {
  if (labels?.[LABELS.provider] !== "docker") return undefined;
  const prefix = labels[LABELS.prefix];
  const sandboxId = labels[LABELS.sandboxId];
  const configHash = labels[LABELS.configHash];
  const owner = labels[LABELS.owner];
  if (!prefix || !sandboxId || !configHash || !owner) return undefined;
  return {
    prefix,
    sandboxId,
    threadId: labels[LABELS.thread],
    userId: labels[LABELS.user] ?? "default",
    configHash,
    owner,
    transport: labels[LABELS.transport] === "aio" ? "aio" : "exec",
  };
}

/** A Docker `filters` value that lists every container of one provider prefix. */
export function prefixFilter(prefix: string): { label: string[] } {
  return { label: [`${LABELS.provider}=docker`, `${LABELS.prefix}=${prefix}`] };
}
