import { z } from "zod";

/** `typ` of a node configuration; a trust-set update or any other signed document is refused as a config. */
export const NODE_CONFIG_TYPE = "stratum-node-config+shub";

/**
 * The signed claims around a config. Times are JWT NumericDates (seconds). `config` is checked
 * separately against the schema named by `schema`, so that an unknown schema gets its own message.
 */
export const ZNodeConfigClaims = z.strictObject({
  iss: z.string().min(1),
  sub: z.string().min(1),
  aud: z.string().min(1),
  iat: z.number().int().nonnegative(),
  exp: z.number().int().positive(),
  ver: z.number().int().min(1),
  schema: z.number().int().min(1),
  config: z.unknown(),
});
export type TNodeConfigClaims = z.infer<typeof ZNodeConfigClaims>;

/** The audience a node expects unless told otherwise: every agent of a Stratum installation. */
export const DEFAULT_AUDIENCE = "stratum-agent";
