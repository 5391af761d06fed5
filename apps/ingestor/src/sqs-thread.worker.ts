// Entry point of the ingestor's SQS thread (see ThreadedQueue); bundled beside main.js.
import { serveQueueThread } from '@ecs-state/ingestion';

serveQueueThread();
