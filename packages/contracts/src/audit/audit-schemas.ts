import { z } from 'zod';
import { storedId, storedInstant, wholeNumber } from '../common/bounds.ts';
import { laCode, uuid } from '../common/safe-text.ts';

const sha256Hex = z
  .string()
  .regex(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 in lower-case hex' })
  .meta({ maxLength: 64 });
const keyId = z
  .string()
  .regex(/^[0-9a-f]{16}$/, { message: 'must be a key id (16 hex digits)' })
  .meta({ maxLength: 16 });
// A tree of more than 2^40 events is not one this service will hold; the bound keeps sizes exact numbers.
const treeSize = z.coerce
  .number()
  .int()
  .min(1)
  .max(2 ** 40);
const proof = z.array(sha256Hex).max(64).meta({
  description: 'Hashes (hex) of the audit path, the deepest sibling first (RFC 6962 §2.1.1 and §2.1.2).',
});

const checkpointExample = {
  tenant: '801',
  treeSize: 39116,
  rootHash: '9f2c4e61b0a3d8f7e5c1a2b3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7',
  timestamp: '2026-10-12T09:40:12.311Z',
  keyId: '5e0b7a1c9d2f4e63',
  signature: 'm6Y0cX4rJb8v1QkzN2Hq7sWfT3eLgU9aPiD5oRnC0yVxK8jA1tBwE4hM6lS2uZdFqG7pIeO3nHc9rYvJ5aXkDg==',
};

export const SignedCheckpoint = z
  .object({
    tenant: laCode,
    treeSize: wholeNumber(1, 2 ** 40),
    rootHash: sha256Hex.meta({ description: 'RFC 6962 Merkle tree hash of the first `treeSize` events of the LA.' }),
    timestamp: z.string().max(40).meta({ description: 'When the last event in the tree was recorded (ISO 8601).' }),
    keyId,
    signature: z
      .string()
      .max(200)
      .meta({ description: 'Ed25519 signature (base64) over the checkpoint; see docs/architecture.md.' }),
  })
  .meta({
    id: 'SignedCheckpoint',
    example: checkpointExample,
    description:
      'A signed head of your LA’s audit tree: the Merkle root of its events, in log order, at one size. An event with an inclusion proof to it is in the log as it was; a later checkpoint with a consistency proof from it holds every event this one held, unchanged and in order.',
  });
export type SignedCheckpoint = z.infer<typeof SignedCheckpoint>;

export const CheckpointParams = z.strictObject({ treeSize });

export const InclusionQuery = z.strictObject({
  eventId: uuid.meta({ description: 'The event to prove.' }),
  treeSize: treeSize.optional().meta({ description: 'The signed checkpoint to prove it in; the latest when absent.' }),
});

export const AuditLeaf = z.object({
  streamId: storedId(),
  version: wholeNumber(1),
  eventId: uuid,
  hash: sha256Hex.meta({
    description: 'The event’s stored hash (it covers the event’s stored bytes, sealed parts included).',
  }),
});

export const EventInclusionProof = z
  .object({
    checkpoint: SignedCheckpoint,
    event: AuditLeaf,
    leafIndex: wholeNumber(0, 2 ** 40 - 1),
    proof,
  })
  .meta({
    id: 'EventInclusionProof',
    example: {
      checkpoint: checkpointExample,
      event: {
        streamId: 'plan-0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d01',
        version: 18,
        eventId: '6c0d9a52-1f3b-4e8a-9c7d-2b4e6f8a0c13',
        hash: '4d3c2b1a0f9e8d7c6b5a49382716f5e4d3c2b1a0f9e8d7c6b5a4938271605f4e',
      },
      leafIndex: 39115,
      proof: [
        'b1e2d3c4a5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
        '07c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1',
      ],
    },
    description:
      'That the event is leaf `leafIndex` of the checkpoint’s tree. The leaf is the RFC 8785 canonical JSON of `{streamId, version, eventId, hash}`.',
  });

export const ConsistencyQuery = z.strictObject({
  from: treeSize.meta({ description: 'The size of the earlier signed checkpoint.' }),
  to: treeSize.meta({ description: 'The size of the later signed checkpoint.' }),
});

export const CheckpointConsistencyProof = z.object({ from: SignedCheckpoint, to: SignedCheckpoint, proof }).meta({
  id: 'CheckpointConsistencyProof',
  example: {
    from: {
      ...checkpointExample,
      treeSize: 38000,
      rootHash: '07c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1',
      timestamp: '2026-10-09T15:02:47.020Z',
    },
    to: checkpointExample,
    proof: [
      'b1e2d3c4a5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
      '4d3c2b1a0f9e8d7c6b5a49382716f5e4d3c2b1a0f9e8d7c6b5a4938271605f4e',
    ],
  },
  description: 'That the tree of `from` is the start of the tree of `to` (RFC 6962 §2.1.2).',
});

export const AuditPublicKey = z
  .object({
    keyId,
    algorithm: z.literal('Ed25519'),
    publicKeyPem: z.string().max(1000),
  })
  .meta({
    id: 'AuditPublicKey',
    description: 'The public key that checks the signed checkpoints.',
    example: {
      keyId: '5e0b7a1c9d2f4e63',
      algorithm: 'Ed25519',
      publicKeyPem:
        '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n',
    },
  });

/** What `cli export plan` writes and `cli verify-export` reads: a stream, proven against a signed checkpoint. */
export const StoredEventExport = z.object({
  streamId: storedId(),
  version: wholeNumber(1),
  id: uuid,
  type: z.string().max(200),
  schemaVersion: wholeNumber(1),
  data: z.unknown(),
  personal: z.record(storedId(), z.unknown()).nullable(),
  metadata: z.record(storedId(), z.unknown()),
  recordedAt: storedInstant(),
  previousHash: sha256Hex.nullable(),
  hash: sha256Hex,
});

export const AuditExport = z.object({
  format: z.literal('small-steps-audit-export/1'),
  streamId: storedId(),
  events: z.array(StoredEventExport).max(1_000_000),
  proofs: z.array(z.object({ eventId: uuid, leafIndex: wholeNumber(0, 2 ** 40 - 1), proof })).max(1_000_000),
  checkpoint: SignedCheckpoint,
  /** The stream's head at the checkpoint, signed: a removed last event shows against it. */
  streamHead: z.object({
    streamId: storedId(),
    version: wholeNumber(1),
    hash: sha256Hex,
    treeSize: wholeNumber(1, 2 ** 40),
    keyId,
    signature: z.string().max(200),
  }),
  keyId,
});
export type AuditExport = z.infer<typeof AuditExport>;
