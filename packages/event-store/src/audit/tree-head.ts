import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * What a tenant's audit tree holds for an event: its place in its stream and its stored hash. The
 * hash covers everything stored of the event (its sealed personal bytes, its metadata, the previous
 * event's hash), so a leaf binds the event byte for byte without carrying any personal data.
 */
export interface AuditLeafEvent {
  streamId: string;
  version: number;
  id: string;
  hash: string;
}

/**
 * The bytes of an event's leaf: RFC 8785 canonical JSON of its stream, version, id and hash. For
 * these four fields (strings and a whole number) canonical JSON is JSON.stringify with the keys in
 * sorted order, which costs a fraction of a general canonicalizer over every event of the log.
 */
export function auditLeaf(event: AuditLeafEvent): Buffer {
  if (!Number.isSafeInteger(event.version)) throw new TypeError(`Event ${event.id} has no whole version.`);
  const canonical = JSON.stringify({
    eventId: event.id,
    hash: event.hash,
    streamId: event.streamId,
    version: event.version,
  });
  return Buffer.from(canonical, 'utf8');
}

/** The head of one tenant's tree: how many events, their root, and the last one's recordedAt. */
export interface TreeHead {
  tenant: string;
  treeSize: number;
  /** The RFC 6962 tree hash, hex. */
  rootHash: string;
  /** The last event's recordedAt (ISO 8601): the head says nothing about later events. */
  timestamp: string;
  /** Which key signed it: the first 16 hex digits of the SHA-256 of the public key (SPKI DER). */
  keyId: string;
}

/** A tree head with its Ed25519 signature (base64) over {@link treeHeadMessage}. */
export interface SignedTreeHead extends TreeHead {
  signature: string;
}

const HEAD_CONTEXT = 'small-steps audit tree head v1\n';

/** The signed bytes: a context line, then the head's canonical JSON (so no other message can pass for one). */
export function treeHeadMessage(head: TreeHead): Buffer {
  const canonical = canonicalize({
    tenant: head.tenant,
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    timestamp: head.timestamp,
    keyId: head.keyId,
  });
  return Buffer.from(`${HEAD_CONTEXT}${canonical}`, 'utf8');
}

/**
 * A stream's last event as of a tree head: what an export of one stream is signed with, so that an
 * export missing its last events no longer matches (the tree alone cannot show an absence).
 */
export interface StreamHead {
  streamId: string;
  version: number;
  hash: string;
  treeSize: number;
  keyId: string;
}

export interface SignedStreamHead extends StreamHead {
  signature: string;
}

const STREAM_HEAD_CONTEXT = 'small-steps audit stream head v1\n';

export function streamHeadMessage(head: StreamHead): Buffer {
  const canonical = canonicalize({
    streamId: head.streamId,
    version: head.version,
    hash: head.hash,
    treeSize: head.treeSize,
    keyId: head.keyId,
  });
  return Buffer.from(`${STREAM_HEAD_CONTEXT}${canonical}`, 'utf8');
}

/** The key that signs tree heads (and exports' stream heads), and what an auditor needs of it. */
export interface TreeHeadSigner {
  keyId: string;
  publicKeyPem: string;
  sign(head: Omit<TreeHead, 'keyId'>): SignedTreeHead;
  signStreamHead(head: Omit<StreamHead, 'keyId'>): SignedStreamHead;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** A signer from an Ed25519 private key in PEM, refusing any other kind of key with a clear message. */
export function treeHeadSigner(privateKeyPem: string, source: string): TreeHeadSigner {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch {
    throw new Error(`${source} must be an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519).`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${source} must be an Ed25519 key; it is ${privateKey.asymmetricKeyType ?? 'not one'}.`);
  }
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  return {
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign(head) {
      const full = { ...head, keyId };
      return { ...full, signature: sign(null, treeHeadMessage(full), privateKey).toString('base64') };
    },
    signStreamHead(head) {
      const full = { ...head, keyId };
      return { ...full, signature: sign(null, streamHeadMessage(full), privateKey).toString('base64') };
    },
  };
}

/** Why a signed head does not check out against a public key, or null when it does. */
export function treeHeadProblem(head: SignedTreeHead, publicKeyPem: string): string | null {
  return signatureProblem('checkpoint', treeHeadMessage(head), head, publicKeyPem);
}

/** Why a signed stream head does not check out against a public key, or null when it does. */
export function streamHeadProblem(head: SignedStreamHead, publicKeyPem: string): string | null {
  return signatureProblem('stream head', streamHeadMessage(head), head, publicKeyPem);
}

function signatureProblem(
  what: string,
  message: Buffer,
  signed: { keyId: string; signature: string },
  publicKeyPem: string,
): string | null {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(publicKeyPem);
  } catch {
    return 'the public key is not a key in PEM';
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') return 'the public key is not an Ed25519 key';
  const keyId = keyIdOf(publicKey);
  if (signed.keyId !== keyId)
    return `the ${what} was signed by key ${signed.keyId}, and the public key given is ${keyId}`;
  const signature = Buffer.from(signed.signature, 'base64');
  if (!verify(null, message, publicKey, signature)) return `the ${what}'s signature does not verify`;
  return null;
}
