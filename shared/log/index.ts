/** The transparency log's tree: RFC 9162 hashing, proofs and their verification (see merkle.ts). */

export * from './audit'
export * from './leaf'
export * from './merkle'
export * from './merkle-tree'
export * from './still-held'
export * from './tree-head'
export * from './tree-math'
