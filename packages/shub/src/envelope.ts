import { createHash } from "node:crypto";
import { type CryptoKey, FlattenedSign, flattenedVerify, importJWK } from "jose";
import { z } from "zod";
import { canonicalJson } from "./canonical-json.ts";
import { ShubVerifyError } from "./errors.ts";
import type { TPrivateSigningJwk } from "./keys.ts";

/** The file layout version (`"shub": 1`), independent of the config schema version. */
export const SHUB_FILE_FORMAT = 1;
export const SIGNING_ALGORITHM = "EdDSA";

// A node config with ~10,000 firewall rules stays far below this; anything larger is not ours.
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const ED25519_SIGNATURE_BYTES = 64;
// Members by which a JWS can name or carry its own verification key; keys come only from the trust set.
const KEY_CARRYING_MEMBERS = ["jwk", "jku", "x5c", "x5u", "x5t", "x5t#S256"];

const ZBase64Url = z.string().regex(/^[A-Za-z0-9_-]+$/, "not base64url");
const ZEnvelope = z.strictObject({
  shub: z.number(),
  protected: ZBase64Url,
  payload: z.record(z.string(), z.unknown()),
  signature: ZBase64Url,
});
const ZProtectedHeader = z.strictObject({ alg: z.string(), kid: z.string().min(1), typ: z.string() });

export type TProtectedHeader = z.infer<typeof ZProtectedHeader>;
export type TOpenedEnvelope = {
  header: TProtectedHeader;
  payload: Record<string, unknown>;
  /** SHA-256 (hex) of the canonical payload: names the signed content regardless of formatting. */
  payloadSha256: string;
};

function malformed(message: string): ShubVerifyError {
  return new ShubVerifyError("malformed", message);
}

function base64UrlOf(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

function canonicalPayload(payload: Record<string, unknown>): string {
  try {
    return canonicalJson(payload);
  } catch (error) {
    throw malformed(`the payload cannot be canonicalised: ${(error as Error).message}`);
  }
}

const importedPrivateKeys = new WeakMap<TPrivateSigningJwk, Promise<CryptoKey>>();

function importPrivateKey(key: TPrivateSigningJwk | CryptoKey): Promise<CryptoKey> {
  if (!("d" in key)) return Promise.resolve(key);
  let imported = importedPrivateKeys.get(key);
  if (!imported) {
    imported = importJWK(key, SIGNING_ALGORITHM) as Promise<CryptoKey>;
    importedPrivateKeys.set(key, imported);
  }
  return imported;
}

/**
 * Signs `payload` and returns the file text. The signing input is that of a compact JWS whose payload
 * is the RFC 8785 form of `payload`, so `protected.b64url(JCS(payload)).signature` is a standard JWS.
 */
export async function signEnvelope(
  payload: Record<string, unknown>,
  signer: { key: TPrivateSigningJwk | CryptoKey; kid: string; typ: string },
): Promise<string> {
  const canonical = canonicalJson(payload);
  const jws = await new FlattenedSign(new TextEncoder().encode(canonical))
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: signer.kid, typ: signer.typ })
    .sign(await importPrivateKey(signer.key));
  // Members in canonical order: the file reads the same however the caller built `payload`, and
  // verification can usually skip canonicalising (see openEnvelope).
  const ordered = JSON.parse(canonical) as Record<string, unknown>;
  const file = {
    shub: SHUB_FILE_FORMAT,
    protected: jws.protected,
    payload: ordered,
    signature: jws.signature,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function parseEnvelope(text: string): z.infer<typeof ZEnvelope> {
  if (Buffer.byteLength(text, "utf8") > MAX_FILE_BYTES) {
    throw malformed(`the file is larger than ${MAX_FILE_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw malformed(`the file is not valid JSON (${(error as Error).message})`);
  }
  const envelope = ZEnvelope.safeParse(json);
  if (!envelope.success) {
    const fields = envelope.error.issues.map((issue) => issue.path.join(".") || "(file)").join(", ");
    throw malformed(
      `the file is not a .shub document (expected shub, protected, payload, signature; see ${fields})`,
    );
  }
  if (envelope.data.shub !== SHUB_FILE_FORMAT) {
    throw malformed(
      `file format shub=${envelope.data.shub} is not supported (this build reads ${SHUB_FILE_FORMAT})`,
    );
  }
  // The payload exactly as parsed: zod's copy of a record could differ from it (a "__proto__" member).
  return { ...envelope.data, payload: (json as { payload: Record<string, unknown> }).payload };
}

function parseHeader(encoded: string): TProtectedHeader {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    throw malformed("the protected header is not base64url-encoded JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw malformed("the protected header is not a JSON object");
  }
  const header = json as Record<string, unknown>;
  if (header.alg !== SIGNING_ALGORITHM) {
    throw new ShubVerifyError(
      "algorithm_not_allowed",
      `signature algorithm ${JSON.stringify(header.alg)} is not allowed; .shub documents are signed with EdDSA (Ed25519)`,
    );
  }
  const carried = KEY_CARRYING_MEMBERS.filter((member) => member in header);
  if (carried.length > 0) {
    throw new ShubVerifyError(
      "unknown_key",
      `the file names its own key (${carried.join(", ")}); keys are only taken from the node's trust set`,
    );
  }
  const parsed = ZProtectedHeader.safeParse(header);
  if (!parsed.success) {
    throw malformed(
      `the protected header must hold exactly alg, kid and typ (${parsed.error.issues.map((i) => i.message).join("; ")})`,
    );
  }
  return parsed.data;
}

function checkSignatureEncoding(signature: string): void {
  // Node's base64url decoder ignores trailing bits, so several spellings decode to the same bytes; only
  // the canonical one is accepted so that the file text, not just its meaning, is what was signed.
  const bytes = Buffer.from(signature, "base64url");
  if (bytes.length !== ED25519_SIGNATURE_BYTES || bytes.toString("base64url") !== signature) {
    throw new ShubVerifyError("bad_signature", "the signature is not a canonical 64-byte Ed25519 signature");
  }
}

async function signatureHolds(envelope: z.infer<typeof ZEnvelope>, key: CryptoKey, payloadText: string) {
  try {
    await flattenedVerify(
      { protected: envelope.protected, payload: base64UrlOf(payloadText), signature: envelope.signature },
      key,
      { algorithms: [SIGNING_ALGORITHM] },
    );
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the canonical payload text if the signature covers it. Files as written by signEnvelope list
 * members in canonical order, so JSON.stringify of the parsed payload (native, fast) usually is the
 * canonical text already; only a reordered file pays for canonicalising. Accepting the shortcut is
 * sound: JSON.stringify is injective on JSON values, so matching the signed canonical text means
 * carrying exactly the signed value.
 */
async function findSignedText(
  envelope: z.infer<typeof ZEnvelope>,
  key: CryptoKey,
): Promise<string | undefined> {
  const direct = JSON.stringify(envelope.payload);
  if (await signatureHolds(envelope, key, direct)) return direct;
  const canonical = canonicalPayload(envelope.payload);
  if (canonical !== direct && (await signatureHolds(envelope, key, canonical))) return canonical;
  return undefined;
}

/**
 * Authenticates a signed document. Order: parse, pin the algorithm, refuse embedded keys, find the key in
 * the trust set (`resolveKey` throws unknown_key), verify the signature, then check the document type.
 * Nothing in the payload is interpreted before the signature holds.
 */
export async function openEnvelope(
  text: string,
  expected: { typ: string; describe: string; resolveKey: (kid: string) => Promise<CryptoKey> },
): Promise<TOpenedEnvelope> {
  const envelope = parseEnvelope(text);
  const header = parseHeader(envelope.protected);
  const key = await expected.resolveKey(header.kid);
  checkSignatureEncoding(envelope.signature);
  const signedText = await findSignedText(envelope, key);
  if (signedText === undefined) {
    throw new ShubVerifyError(
      "bad_signature",
      `the signature does not match the content (key ${header.kid}); the file was altered after signing`,
    );
  }
  if (header.typ !== expected.typ) {
    throw new ShubVerifyError(
      "wrong_type",
      `the file is a ${JSON.stringify(header.typ)} document, not ${expected.describe} (${expected.typ})`,
    );
  }
  return {
    header,
    payload: envelope.payload,
    payloadSha256: createHash("sha256").update(signedText).digest("hex"),
  };
}
