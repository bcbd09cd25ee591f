import { createHash } from 'node:crypto';

/**
 * A Merkle tree over a list of leaves as RFC 6962 §2.1 defines it (the hashing of Certificate
 * Transparency): a leaf hashes as SHA-256(0x00 || leaf), a node as SHA-256(0x01 || left || right), so
 * a leaf can never pass for a node. A tree of n leaves splits at k, the largest power of two below n,
 * which makes every left subtree perfect and aligned: the tree is stored as its perfect subtrees
 * (level, index), node (level, index) covering leaves [index·2^level, (index+1)·2^level), and any
 * proof is computed from them without rereading the leaves.
 */

/** A perfect, aligned subtree: leaves [index·2^level, (index+1)·2^level). */
export interface SubtreeId {
  level: number;
  index: number;
}

/** A stored perfect subtree and its hash. */
export interface MerkleNode extends SubtreeId {
  hash: Buffer;
}

/** Hands back the hash of a perfect subtree; called only for subtrees of the tree asked about. */
export type NodeSource = (node: SubtreeId) => Buffer;

const sha256 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

/** MTH({}): the hash of an empty tree, SHA-256 of no bytes. */
export const EMPTY_TREE_HASH: Buffer = sha256();

export const leafHash = (leaf: Buffer): Buffer => sha256(LEAF_PREFIX, leaf);

export const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(NODE_PREFIX, left, right);

/** The largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The perfect subtrees that make up leaves [start, end), left to right (start must be aligned as a split leaves it). */
export function perfectSubtrees(start: number, end: number): SubtreeId[] {
  const subtrees: SubtreeId[] = [];
  let from = start;
  while (from < end) {
    const n = end - from;
    let size = 1;
    let level = 0;
    while (size * 2 <= n && from % (size * 2) === 0) {
      size *= 2;
      level++;
    }
    subtrees.push({ level, index: from / size });
    from += size;
  }
  return subtrees;
}

/** MTH(D[start:end]): its perfect subtrees folded from the right, as the recursive split folds them. */
export function rangeHash(start: number, end: number, node: NodeSource): Buffer {
  if (end <= start) return EMPTY_TREE_HASH;
  const parts = perfectSubtrees(start, end).map(node);
  let hash = parts[parts.length - 1] as Buffer;
  for (let i = parts.length - 2; i >= 0; i--) hash = nodeHash(parts[i] as Buffer, hash);
  return hash;
}

/** The tree head: MTH of the first `size` leaves. */
export const treeHash = (size: number, node: NodeSource): Buffer => rangeHash(0, size, node);

/** A range of leaves whose hash is one element of a proof. */
type Range = readonly [start: number, end: number];

/** PATH(m, D[start:end]) of RFC 6962 §2.1.1, as ranges: the deepest sibling first. */
function inclusionRanges(m: number, start: number, end: number): Range[] {
  const n = end - start;
  if (n <= 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...inclusionRanges(m, start, start + k), [start + k, end]];
  return [...inclusionRanges(m - k, start + k, end), [start, start + k]];
}

/** SUBPROOF(m, D[start:end], b) of RFC 6962 §2.1.2, as ranges. */
function consistencyRanges(m: number, start: number, end: number, whole: boolean): Range[] {
  const n = end - start;
  if (m === n) return whole ? [] : [[start, end]];
  const k = splitPoint(n);
  if (m <= k) return [...consistencyRanges(m, start, start + k, whole), [start + k, end]];
  return [...consistencyRanges(m - k, start + k, end, false), [start, start + k]];
}

const checkSize = (name: string, value: number): void => {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0.`);
};

/** The subtrees an inclusion proof of leaf `index` in a tree of `size` needs (to fetch them at once). */
export function inclusionProofNodes(index: number, size: number): SubtreeId[] {
  return inclusionRanges(index, 0, size).flatMap(([s, e]) => perfectSubtrees(s, e));
}

/** The audit path of leaf `index` in the tree of its first `size` leaves. */
export function inclusionProof(index: number, size: number, node: NodeSource): Buffer[] {
  checkSize('size', size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`Leaf ${index} is not in a tree of ${size}.`);
  }
  return inclusionRanges(index, 0, size).map(([s, e]) => rangeHash(s, e, node));
}

/** The subtrees a consistency proof from `from` to `to` leaves needs. */
export function consistencyProofNodes(from: number, to: number): SubtreeId[] {
  if (from === 0 || from >= to) return [];
  return consistencyRanges(from, 0, to, true).flatMap(([s, e]) => perfectSubtrees(s, e));
}

/** PROOF(m, D[n]): that the tree of `from` leaves is the start of the tree of `to` (empty when from is 0 or equal). */
export function consistencyProof(from: number, to: number, node: NodeSource): Buffer[] {
  checkSize('from', from);
  checkSize('to', to);
  if (from > to) throw new RangeError(`A tree of ${from} cannot be the start of a tree of ${to}.`);
  if (from === 0 || from === to) return [];
  return consistencyRanges(from, 0, to, true).map(([s, e]) => rangeHash(s, e, node));
}

const odd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

/** Checks an audit path (RFC 9162 §2.1.3.2, the verifier for RFC 6962's paths). */
export function verifyInclusion(
  leaf: Buffer,
  index: number,
  size: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (p.length !== 32 || sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/** Checks a consistency proof between two tree heads (RFC 9162 §2.1.4.2). */
export function verifyConsistency(
  from: number,
  to: number,
  fromRoot: Buffer,
  toRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) return false;
  if (from === to) return proof.length === 0 && fromRoot.equals(toRoot);
  if (from === 0) return proof.length === 0 && fromRoot.equals(EMPTY_TREE_HASH);
  if (proof.length === 0 || proof.some((p) => p.length !== 32)) return false;
  // A first tree whose size is a power of two is a subtree of the second: its proof leaves its root out.
  const path = isPowerOfTwo(from) ? [fromRoot, ...proof] : [...proof];
  let fn = from - 1;
  let sn = to - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Buffer;
  let sr = path[0] as Buffer;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return fr.equals(fromRoot) && sr.equals(toRoot) && sn === 0;
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

/**
 * Appends leaf hashes to a tree of `size` leaves whose right edge (`frontier`: the perfect subtrees
 * of [0, size), left to right) is known, and gives every perfect subtree completed on the way (the
 * leaves themselves at level 0) and the new frontier.
 */
export function appendLeaves(
  size: number,
  frontier: readonly MerkleNode[],
  leaves: readonly Buffer[],
): { nodes: MerkleNode[]; frontier: MerkleNode[] } {
  const stack = [...frontier];
  const nodes: MerkleNode[] = [];
  let count = size;
  for (const leaf of leaves) {
    let top: MerkleNode = { level: 0, index: count, hash: leaf };
    nodes.push(top);
    count++;
    for (let below = stack.at(-1); below !== undefined && below.level === top.level; below = stack.at(-1)) {
      stack.pop();
      top = { level: top.level + 1, index: below.index / 2, hash: nodeHash(below.hash, top.hash) };
      nodes.push(top);
    }
    stack.push(top);
  }
  return { nodes, frontier: stack };
}

/** A tree kept in memory: for tests, and for checking an export. */
export class MemoryMerkleTree {
  readonly #nodes = new Map<string, Buffer>();
  #frontier: MerkleNode[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  append(...leaves: Buffer[]): void {
    const { nodes, frontier } = appendLeaves(this.#size, this.#frontier, leaves.map(leafHash));
    for (const n of nodes) this.#nodes.set(`${n.level}/${n.index}`, n.hash);
    this.#frontier = frontier;
    this.#size += leaves.length;
  }

  readonly node: NodeSource = ({ level, index }) => {
    const hash = this.#nodes.get(`${level}/${index}`);
    if (hash === undefined) throw new RangeError(`No subtree ${level}/${index} in a tree of ${this.#size}.`);
    return hash;
  };

  root(size = this.#size): Buffer {
    return treeHash(size, this.node);
  }
}
