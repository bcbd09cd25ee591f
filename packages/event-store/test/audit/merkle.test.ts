import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  consistencyProofNodes,
  EMPTY_TREE_HASH,
  inclusionProof,
  inclusionProofNodes,
  leafHash,
  MemoryMerkleTree,
  verifyConsistency,
  verifyInclusion,
} from '../../src/audit/merkle.ts';
import { auditLeaf } from '../../src/audit/tree-head.ts';

const hex = (b: Buffer): string => b.toString('hex');
const unhex = (s: string): Buffer => Buffer.from(s, 'hex');

// The leaves and tree heads of Certificate Transparency's reference tests (sizes 1..8).
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(unhex);
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

function treeOf(size: number): MemoryMerkleTree {
  const tree = new MemoryMerkleTree();
  for (let i = 0; i < size; i++) tree.append(Buffer.from(`leaf ${i}`));
  return tree;
}

/** The proof with one bit of any byte of its hashes flipped, with a hash dropped, or one added. */
function* tampered(proof: readonly Buffer[], size: number): Generator<Buffer[]> {
  // Every byte in the smaller trees, the first and last byte in the larger: each check costs hashing.
  const bytes = size <= 16 ? Array.from({ length: 32 }, (_, b) => b) : [0, 31];
  for (let i = 0; i < proof.length; i++) {
    for (const byte of bytes) {
      const copy = proof.map((p) => Buffer.from(p));
      const hash = copy[i] as Buffer;
      hash[byte] = (hash[byte] as number) ^ 1;
      yield copy;
    }
    yield proof.filter((_, j) => j !== i);
  }
  yield [...proof, Buffer.alloc(32)];
}

describe('a Merkle tree hashed as RFC 6962 says', () => {
  it('has the reference heads: the empty tree, and trees of 1 to 8 of the reference leaves', () => {
    expect(hex(EMPTY_TREE_HASH)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const tree = new MemoryMerkleTree();
    expect(hex(tree.root())).toBe(hex(EMPTY_TREE_HASH));
    for (const [i, leaf] of CT_LEAVES.entries()) {
      tree.append(leaf);
      expect(hex(tree.root()), `size ${i + 1}`).toBe(CT_ROOTS[i]);
    }
    // And each earlier head from the one tree, as a proof for an old checkpoint needs.
    for (let n = 1; n <= 8; n++) expect(hex(tree.root(n))).toBe(CT_ROOTS[n - 1]);
  });

  it('gives the reference audit paths and consistency proofs', () => {
    const tree = new MemoryMerkleTree();
    tree.append(...CT_LEAVES);
    expect(inclusionProof(0, 8, tree.node).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionProof(5, 8, tree.node).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(consistencyProof(2, 5, tree.node).map(hex)).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
    expect(consistencyProof(4, 8, tree.node).map(hex)).toEqual([
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
  });

  it('proves every leaf of every tree of 1 to 64 leaves, and no tampered path passes', () => {
    const tree = treeOf(64);
    for (let size = 1; size <= 64; size++) {
      const root = tree.root(size);
      for (let index = 0; index < size; index++) {
        const leaf = leafHash(Buffer.from(`leaf ${index}`));
        const proof = inclusionProof(index, size, tree.node);
        expect(verifyInclusion(leaf, index, size, proof, root), `${index} in ${size}`).toBe(true);
        expect(inclusionProofNodes(index, size).length).toBeGreaterThanOrEqual(proof.length);
        expect(verifyInclusion(leafHash(Buffer.from('another')), index, size, proof, root)).toBe(false);
        if (size > 1) expect(verifyInclusion(leaf, (index + 1) % size, size, proof, root)).toBe(false);
        for (const bad of tampered(proof, size)) expect(verifyInclusion(leaf, index, size, bad, root)).toBe(false);
      }
    }
  });

  it('proves every tree of m leaves the start of every tree of n (m < n ≤ 64), and no tampered proof passes', () => {
    const tree = treeOf(64);
    for (let to = 1; to <= 64; to++) {
      const toRoot = tree.root(to);
      for (let from = 1; from < to; from++) {
        const fromRoot = tree.root(from);
        const proof = consistencyProof(from, to, tree.node);
        expect(verifyConsistency(from, to, fromRoot, toRoot, proof), `${from} → ${to}`).toBe(true);
        expect(consistencyProofNodes(from, to).length).toBeGreaterThanOrEqual(proof.length);
        expect(verifyConsistency(from, to, tree.root(from + 1), toRoot, proof)).toBe(false);
        expect(verifyConsistency(from, to, fromRoot, tree.root(to - 1), proof)).toBe(false);
        for (const bad of tampered(proof, to)) expect(verifyConsistency(from, to, fromRoot, toRoot, bad)).toBe(false);
      }
      expect(verifyConsistency(to, to, toRoot, toRoot, [])).toBe(true);
      expect(verifyConsistency(0, to, EMPTY_TREE_HASH, toRoot, [])).toBe(true);
    }
  });

  it('refuses a proof for a leaf outside the tree', () => {
    const tree = treeOf(5);
    expect(() => inclusionProof(5, 5, tree.node)).toThrow(RangeError);
    expect(() => consistencyProof(6, 5, tree.node)).toThrow(RangeError);
  });
});

describe('an event’s audit leaf', () => {
  it('is the RFC 8785 canonical JSON of its stream, version, id and hash', () => {
    for (const streamId of ['plan-1', 'pupil-"quoted"\\back', 'attendance-é-\u2028-\u0001']) {
      const event = { streamId, version: 12, id: '00000000-0000-4000-8000-000000000001', hash: 'ab'.repeat(32) };
      const canonical = canonicalize({ streamId, version: 12, eventId: event.id, hash: event.hash });
      expect(auditLeaf(event).toString('utf8')).toBe(canonical);
    }
  });
});
