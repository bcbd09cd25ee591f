export { BrokenLink, CHAIN_PROBLEMS, ChainVerification, SeenHead } from './verification-schemas.ts';
