export {
  FEED_KINDS,
  FEED_MAX_WAIT_SECONDS,
  FeedEvent,
  FeedKind,
  FeedPage,
  FeedQuery,
  feedKindsOf,
} from './feed-schemas.ts';
