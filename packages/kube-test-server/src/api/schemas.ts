import type { Lease } from "kubernetes-types/coordination/v1.js";
import type { PersistentVolumeClaim, Pod } from "kubernetes-types/core/v1.js";
import type { NetworkPolicy } from "kubernetes-types/networking/v1.js";
import { z } from "zod";

/**
 * zod schemas of the request bodies this server accepts, written against the OpenAPI-derived
 * types in `kubernetes-types`. They check the fields the server acts on and keep every other
 * field (`looseObject`), so what a client sends and the server cannot enforce (most of
 * securityContext, tolerations, nodeSelector...) is stored and returned unchanged.
 */
const stringMap = z.record(z.string(), z.string());
/** A resource.Quantity: JSON clients may send a number (`cpu: 1`); stored as its string. */
const quantityMap = z.record(
  z.string(),
  z.union([z.string(), z.number()]).transform((value) => String(value)),
);

export const ObjectMetaSchema = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  resourceVersion: z.string().optional(),
});

const EnvVarSchema = z.looseObject({ name: z.string(), value: z.string().optional() });

const VolumeMountSchema = z.looseObject({
  name: z.string(),
  mountPath: z.string(),
  subPath: z.string().optional(),
  readOnly: z.boolean().optional(),
});

const SecurityContextSchema = z.looseObject({
  runAsUser: z.number().int().optional(),
  runAsGroup: z.number().int().optional(),
  runAsNonRoot: z.boolean().optional(),
  readOnlyRootFilesystem: z.boolean().optional(),
  allowPrivilegeEscalation: z.boolean().optional(),
  privileged: z.boolean().optional(),
  capabilities: z
    .looseObject({ add: z.array(z.string()).optional(), drop: z.array(z.string()).optional() })
    .optional(),
});

const ContainerSchema = z.looseObject({
  name: z.string().min(1),
  image: z.string().min(1),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(EnvVarSchema).optional(),
  workingDir: z.string().optional(),
  volumeMounts: z.array(VolumeMountSchema).optional(),
  securityContext: SecurityContextSchema.optional(),
  resources: z
    .looseObject({
      limits: quantityMap.optional(),
      requests: quantityMap.optional(),
    })
    .optional(),
  tty: z.boolean().optional(),
  stdin: z.boolean().optional(),
});

const VolumeSchema = z.looseObject({
  name: z.string(),
  persistentVolumeClaim: z
    .looseObject({ claimName: z.string(), readOnly: z.boolean().optional() })
    .optional(),
  emptyDir: z.looseObject({}).optional(),
});

export const PodSchema = z.looseObject({
  metadata: ObjectMetaSchema,
  spec: z.looseObject({
    containers: z.array(ContainerSchema).min(1),
    volumes: z.array(VolumeSchema).optional(),
    restartPolicy: z.enum(["Always", "OnFailure", "Never"]).optional(),
    terminationGracePeriodSeconds: z.number().int().min(0).optional(),
    securityContext: z
      .looseObject({
        runAsUser: z.number().int().optional(),
        runAsGroup: z.number().int().optional(),
        runAsNonRoot: z.boolean().optional(),
      })
      .optional(),
  }),
});

export const PersistentVolumeClaimSchema = z.looseObject({
  metadata: ObjectMetaSchema,
  spec: z.looseObject({
    accessModes: z.array(z.string()).optional(),
    storageClassName: z.string().optional(),
    resources: z.looseObject({ requests: quantityMap.optional() }).optional(),
  }),
});

export const LeaseSchema = z.looseObject({
  metadata: ObjectMetaSchema,
  spec: z
    .looseObject({
      holderIdentity: z.string().optional(),
      leaseDurationSeconds: z.number().int().optional(),
      acquireTime: z.string().optional(),
      renewTime: z.string().optional(),
      leaseTransitions: z.number().int().optional(),
    })
    .optional(),
});

const LabelSelectorSchema = z.looseObject({
  matchLabels: stringMap.optional(),
  matchExpressions: z
    .array(
      z.looseObject({
        key: z.string(),
        operator: z.string(),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

export const NetworkPolicySchema = z.looseObject({
  metadata: ObjectMetaSchema,
  spec: z.looseObject({
    podSelector: LabelSelectorSchema,
    policyTypes: z.array(z.enum(["Ingress", "Egress"])).optional(),
  }),
});

export const DeleteOptionsSchema = z.looseObject({
  gracePeriodSeconds: z.number().int().min(0).optional(),
  preconditions: z
    .looseObject({ uid: z.string().optional(), resourceVersion: z.string().optional() })
    .optional(),
});

// Compile-time proof that what the schemas accept is assignable to the OpenAPI types.
type Accepts<Schema extends z.ZodType, Api> = z.output<Schema> extends Api ? true : never;
const podFits: Accepts<typeof PodSchema, Pod> = true;
const pvcFits: Accepts<typeof PersistentVolumeClaimSchema, PersistentVolumeClaim> = true;
const leaseFits: Accepts<typeof LeaseSchema, Lease> = true;
void podFits;
void pvcFits;
const networkPolicyFits: Accepts<typeof NetworkPolicySchema, NetworkPolicy> = true;
void leaseFits;
void networkPolicyFits;
