import { createPublicKey } from 'node:crypto';
import { AuditExport } from '@small-steps/contracts';
import {
  auditLeaf,
  eventHash,
  keyIdOf,
  leafHash,
  streamHeadProblem,
  treeHeadProblem,
  verifyInclusion,
} from '@small-steps/event-store';

export type ExportVerdict = { ok: true; summary: string } | { ok: false; problems: string[] };

const bytes = (hex: string): Buffer => Buffer.from(hex, 'hex');

/**
 * Checks an export of one stream with nothing but the file and the public key: the signature of its
 * checkpoint and of its stream head, the hash of every event over its stored bytes, the chain from
 * each event to the one before, and each event's inclusion proof to the signed root. Every problem
 * found is named, in that order.
 */
export function verifyExport(file: unknown, publicKeyPem: string): ExportVerdict {
  const parsed = AuditExport.safeParse(file);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'file'}: ${i.message}`);
    return { ok: false, problems: [`the file is not an audit export (${issues.join('; ')})`] };
  }
  const { streamId, events, proofs, checkpoint, streamHead, keyId } = parsed.data;
  const problems: string[] = [];

  let givenKeyId: string | undefined;
  try {
    givenKeyId = keyIdOf(createPublicKey(publicKeyPem));
  } catch {
    return { ok: false, problems: ['key: the public key is not a key in PEM'] };
  }
  if (keyId !== givenKeyId)
    problems.push(`key: the export names key ${keyId}, and the public key given is ${givenKeyId}`);
  const headProblem = treeHeadProblem(checkpoint, publicKeyPem);
  if (headProblem) problems.push(`signature: ${headProblem}`);
  const streamProblem = streamHeadProblem(streamHead, publicKeyPem);
  if (streamProblem) problems.push(`signature: ${streamProblem}`);
  if (streamHead.streamId !== streamId || streamHead.treeSize !== checkpoint.treeSize) {
    problems.push('signature: the stream head is not for this stream and checkpoint');
  }

  let previous: string | null = null;
  for (const [i, event] of events.entries()) {
    if (event.streamId !== streamId) problems.push(`event ${i + 1}: it belongs to ${event.streamId}, not ${streamId}`);
    if (event.version !== i + 1) {
      problems.push(`event order: place ${i + 1} holds version ${event.version}`);
    }
    const recomputed = eventHash({ ...event, recordedAt: new Date(event.recordedAt) });
    if (new Date(event.recordedAt).toISOString() !== event.recordedAt || recomputed !== event.hash) {
      problems.push(`event version ${event.version}: its stored bytes do not match its hash`);
    }
    if (event.previousHash !== previous) {
      problems.push(`chain: version ${event.version} does not follow the event before it`);
    }
    previous = event.hash;
  }

  const last = events.at(-1);
  if (last === undefined) problems.push('events: the export holds none');
  else if (last.version !== streamHead.version || last.hash !== streamHead.hash) {
    problems.push(
      `events: the export ends at version ${last.version}, and the signed stream head is version ${streamHead.version}${
        last.version < streamHead.version ? ': events are missing at the end' : ''
      }`,
    );
  }

  const root = bytes(checkpoint.rootHash);
  if (proofs.length !== events.length) {
    problems.push(`proofs: ${proofs.length} for ${events.length} events`);
  }
  let lastIndex = -1;
  for (const [i, event] of events.entries()) {
    const proof = proofs[i];
    if (proof === undefined) continue;
    if (proof.eventId !== event.id) {
      problems.push(`proof ${i + 1}: it is for event ${proof.eventId}, not version ${event.version}`);
      continue;
    }
    if (proof.leafIndex <= lastIndex)
      problems.push(`event order: version ${event.version} comes before the one above it in the log`);
    lastIndex = proof.leafIndex;
    const leaf = leafHash(auditLeaf(event));
    if (!verifyInclusion(leaf, proof.leafIndex, checkpoint.treeSize, proof.proof.map(bytes), root)) {
      problems.push(`proof: the inclusion proof of version ${event.version} does not lead to the signed root`);
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    summary: `${streamId}: ${events.length} events, chained and in ${checkpoint.tenant}'s checkpoint of ${checkpoint.treeSize} events (${checkpoint.timestamp}), signed by key ${keyId}`,
  };
}
