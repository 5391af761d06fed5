import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { parseEventMessage, parseKeyPrefix, type StateRecord } from '@ecs-state/domain';
import { stateRecordCodec } from '@ecs-state/etcd-store';
import type { Etcd3 } from 'etcd3';
import { sustainedRate, type Progress } from './shared/sustained-rate';

export interface OriginalResult {
  readonly messages: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Between 10 % and 90 % of the messages processed: see sustainedRate. */
  readonly sustainedPerSecond: number;
}

/**
 * The algorithm of the original cluster-state-service, one message at a time:
 * receive ONE message, read the stored record, write it in one transaction
 * conditional on the record not having changed since the read (if the event is
 * newer), delete that one message, repeat. Stops after `limit` messages or `maxSeconds`.
 */
export async function runOriginal(
  sqs: SQSClient,
  queueUrl: string,
  etcd: Etcd3,
  prefix: string,
  limit: number,
  maxSeconds: number,
): Promise<OriginalResult> {
  const keyPrefix = parseKeyPrefix(prefix);
  if (!keyPrefix.ok) throw new Error(keyPrefix.message);
  const codec = stateRecordCodec(keyPrefix.value);
  const started = performance.now();
  let messages = 0;
  const progress: Progress[] = [{ seconds: 0, done: 0 }];
  while (messages < limit && performance.now() - started < maxSeconds * 1000) {
    const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
    const message = res.Messages?.[0];
    if (!message?.Body || !message.ReceiptHandle) break;
    const parsed = parseEventMessage(message.Body);
    if (parsed.ok && parsed.kind !== 'service') {
      const record: StateRecord = parsed.kind === 'task' ? { kind: 'task', record: parsed.record } : { kind: 'instance', record: parsed.record };
      await writeIfNewer(etcd, codec, record);
    }
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    messages += 1;
    progress.push({ seconds: (performance.now() - started) / 1000, done: messages });
  }
  const seconds = (performance.now() - started) / 1000;
  const perSecond = messages / seconds;
  return { messages, seconds, perSecond, sustainedPerSecond: sustainedRate(progress, messages) ?? perSecond };
}

async function writeIfNewer(etcd: Etcd3, codec: ReturnType<typeof stateRecordCodec>, record: StateRecord): Promise<void> {
  const key = codec.keyOf(record);
  const version = codec.versionOf(record);
  // A lost race means another writer changed the key; read again and decide again.
  for (;;) {
    const current = await etcd.get(key).exec();
    const stored = current.kvs[0];
    if (stored && codec.versionOf(codec.decode(key, stored.value)) >= version) return;
    const txn = stored
      ? etcd.if(key, 'Mod', '==', stored.mod_revision)
      : etcd.if(key, 'Create', '==', 0);
    const result = await txn.then(etcd.put(key).value(codec.encode(record))).commit();
    if (result.succeeded) return;
  }
}
