/** The transparency log's tree: RFC 9162 hashing, proofs and their verification (see merkle.ts). */

export * from './leaf'
export * from './merkle'
export * from './merkle-tree'
export * from './tree-head'
export * from './tree-math'
